package dev.rbacsynth.yaml;

import java.util.Comparator;

/**
 * The order in which gopkg.in/yaml.v2 writes string map keys ({@code keyList.Less}): rune by rune;
 * two letters by code point (so upper case first); a non-letter before a letter; between
 * non-letters, runs of digits compare by numeric value ({@code a9 < a10}); a proper prefix first.
 * For distinct strings exactly one of {@code less(a, b)} and {@code less(b, a)} holds, so the
 * comparator never reports two different keys as equal.
 */
final class YamlKeyOrder implements Comparator<String> {

  static final YamlKeyOrder INSTANCE = new YamlKeyOrder();

  private YamlKeyOrder() {}

  @Override
  public int compare(String a, String b) {
    if (a.equals(b)) {
      return 0;
    }
    return less(a, b) ? -1 : 1;
  }

  static boolean less(String a, String b) {
    int[] ar = ScalarAnalysis.codePoints(a);
    int[] br = ScalarAnalysis.codePoints(b);
    for (int i = 0; i < ar.length && i < br.length; i++) {
      if (ar[i] == br[i]) {
        continue;
      }
      boolean aLetter = Character.isLetter(ar[i]);
      boolean bLetter = Character.isLetter(br[i]);
      if (aLetter && bLetter) {
        return ar[i] < br[i];
      }
      if (aLetter || bLetter) {
        return bLetter;
      }
      return lessAtNonLetters(ar, br, i);
    }
    return ar.length < br.length;
  }

  /** Both runes at {@code i} differ and are non-letters: compare the digit runs starting there. */
  private static boolean lessAtNonLetters(int[] ar, int[] br, int i) {
    long an = 0;
    long bn = 0;
    if (ar[i] == '0' || br[i] == '0') {
      // A zero continuing a number with a non-zero digit before it is not a leading zero.
      for (int j = i - 1; j >= 0 && Character.isDigit(ar[j]); j--) {
        if (ar[j] != '0') {
          an = 1;
          bn = 1;
          break;
        }
      }
    }
    int ai = i;
    for (; ai < ar.length && Character.isDigit(ar[ai]); ai++) {
      an = an * 10 + (ar[ai] - '0');
    }
    int bi = i;
    for (; bi < br.length && Character.isDigit(br[bi]); bi++) {
      bn = bn * 10 + (br[bi] - '0');
    }
    if (an != bn) {
      return an < bn;
    }
    if (ai != bi) {
      return ai < bi;
    }
    return ar[i] < br[i];
  }
}
