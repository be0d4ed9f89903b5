package dev.rbacsynth.ledger;

/** A ledger that cannot be read, or ledgers that cannot be merged exactly. One line, no trace. */
public final class LedgerException extends RuntimeException {
  public LedgerException(String message) {
    super(message);
  }

  public LedgerException(String message, Throwable cause) {
    super(message, cause);
  }
}
