package dev.rbacsynth.read;

import dev.rbacsynth.event.AuditEvent;
import dev.rbacsynth.event.ObjectReference;
import dev.rbacsynth.event.RequestBody;
import dev.rbacsynth.event.Stage;
import dev.rbacsynth.event.UserInfo;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The lean decode ({@link EventDecoder#decodeNative} with {@code usageOnly}) of a log line the
 * apiserver wrote, straight from its bytes, without a token parser: a parser for every line (its
 * symbol table, contexts, buffers) and a String for every value it reads were a third of what
 * {@code collect} allocated and much of its decoding time.
 *
 * <p>It takes a line only when it has checked all of it, and declines it (null) otherwise; the line
 * then goes the usual way and is read, or rejected, exactly as before. Why a line it takes is one
 * the parser reads into the same event:
 *
 * <ul>
 *   <li>Syntax: the whole line is checked as JSON, skipped values included: objects, arrays,
 *       strings, numbers (the JSON grammar: no leading zero, digits after "." and "e"), {@code
 *       true}, {@code false}, {@code null}, commas and colons in their places; the object must end
 *       at the line's last byte (trailing bytes decline). No white space is taken between tokens
 *       (the apiserver writes none).
 *   <li>Strings: only printable ASCII bytes (any byte of 0x80 and up declines, so UTF-8 is never
 *       judged here; a control byte declines, as the parser rejects it), and the escapes {@code \"
 *       \\ \/ \b \f \n \r \t} and {@code \}{@code uXXXX} of a non-surrogate (a surrogate, paired or
 *       not, declines); any other escape declines. A key with an escape declines.
 *   <li>Keys: a top-level key the decoder reads that comes twice declines (the parser path keeps
 *       the last); inside user, objectRef, responseStatus and the bodies the last one wins, as in
 *       the parser path. A second decision annotation declines.
 *   <li>Types: where the decoder reads text, a number, boolean, object or array declines (the
 *       parser path turns it into text, "" or an error); {@code null} reads as "" as there. {@code
 *       user}, {@code objectRef} and the other objects that are not objects (nor null) decline, as
 *       do an empty top-level object and a {@code responseStatus.code} that is not a plain int of
 *       at most 9 digits.
 *   <li>Limits far below the parser's: nesting deeper than 64, strings and keys over 1 MiB, numbers
 *       over 40 characters decline.
 *   <li>The event: built from the same fields with the same rules as {@link EventDecoder}'s lean
 *       read (the lean user, the decision annotation with the "_" repair, roleRef and signer names
 *       of the bodies as the tree reads them, the time from requestReceivedTimestamp, timestamp or
 *       stageTimestamp).
 * </ul>
 *
 * <p>{@code LeanLineDecoderTest} compares both decoders on every line of the test data and the
 * corpus of real logs and on lines changed in those ways, {@code EventDecoderFuzzTest} on fuzzed
 * lines; on the 1 GB benchmark log it takes every line, and every event is equal.
 */
final class LeanLineDecoder {
  private static final int MAX_DEPTH = 64;
  private static final int MAX_STRING = 1 << 20;
  private static final int MAX_NUMBER = 40;

  /** Declines the line: thrown without a stack trace, caught at the top. */
  private static final class Decline extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Decline() {
      super(null, null, false, false);
    }
  }

  private static final Decline DECLINE = new Decline();

  // the top-level keys read, one bit each (a repeated one declines)
  private static final byte[][] KEYS = {
    bytes("kind"),
    bytes("apiVersion"),
    bytes("auditID"),
    bytes("stage"),
    bytes("requestURI"),
    bytes("verb"),
    bytes("user"),
    bytes("impersonatedUser"),
    bytes("authenticationMetadata"),
    bytes("objectRef"),
    bytes("responseStatus"),
    bytes("requestReceivedTimestamp"),
    bytes("timestamp"),
    bytes("stageTimestamp"),
    bytes("userAgent"),
    bytes("annotations"),
    bytes("requestObject"),
    bytes("responseObject"),
  };

  private static final byte[] USERNAME = bytes("username");
  private static final byte[] UID = bytes("uid");
  private static final byte[] GROUPS = bytes("groups");
  private static final byte[] EXTRA = bytes("extra");
  private static final byte[] RESOURCE = bytes("resource");
  private static final byte[] NAMESPACE = bytes("namespace");
  private static final byte[] NAME = bytes("name");
  private static final byte[] API_GROUP = bytes("apiGroup");
  private static final byte[] API_VERSION = bytes("apiVersion");
  private static final byte[] SUBRESOURCE = bytes("subresource");
  private static final byte[] CODE = bytes("code");
  private static final byte[] REASON = bytes("reason");
  private static final byte[] MESSAGE = bytes("message");
  private static final byte[] CONSTRAINT = bytes("impersonationConstraint");
  private static final byte[] ROLE_REF = bytes("roleRef");
  private static final byte[] SPEC = bytes("spec");
  private static final byte[] KIND = bytes("kind");
  private static final byte[] SIGNER_NAME = bytes("signerName");
  private static final byte[] DECISION = bytes(AuditEvent.DECISION);
  private static final int DECISION_SLASH = AuditEvent.DECISION.indexOf('/');

  /**
   * One String for each value of the few-valued fields (verbs, stages, usernames, groups, user
   * agents, resources, namespaces, the decision), shared by all threads: fewer Strings made, and
   * their hash codes are computed once. A slot holds the last value put there; entries are
   * immutable, so a racy read sees a whole entry or none.
   */
  private static final class Cached {
    final byte[] bytes;
    final String value;

    Cached(byte[] bytes, String value) {
      this.bytes = bytes;
      this.value = value;
    }
  }

  private static final Cached[] CACHE = new Cached[2048];

  private static final int MAX_CACHED = 96;

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  private final byte[] b;
  private final int end;
  private int pos;
  // the key just read: b[keyFrom, keyTo), no escapes in it
  private int keyFrom;
  private int keyTo;

  private LeanLineDecoder(byte[] b, int from, int to) {
    this.b = b;
    this.pos = from;
    this.end = to;
  }

  /**
   * The event of the line {@code b[from, to)} (trimmed, starting as the apiserver starts an Event),
   * as the lean decode reads it; null when this decoder leaves the line to the parser.
   */
  static AuditEvent decode(byte[] b, int from, int to) {
    try {
      return new LeanLineDecoder(b, from, to).event();
    } catch (Decline | ArrayIndexOutOfBoundsException e) {
      return null;
    }
  }

  private AuditEvent event() {
    String kind = "";
    String apiVersion = "";
    String auditID = "";
    String stage = "";
    String requestURI = "";
    String verb = "";
    UserInfo user = UserInfo.EMPTY;
    UserInfo impersonatedUser = null;
    String constraint = "";
    ObjectReference objectRef = null;
    int code = 0;
    String reason = "";
    String message = "";
    String received = "";
    String timestamp = "";
    String stageTimestamp = "";
    String userAgent = "";
    Map<String, String> annotations = Map.of();
    RequestBody body = RequestBody.NONE;
    String storedSigner = "";
    int seen = 0;
    expect('{');
    if (peek() == '}') {
      throw DECLINE;
    }
    while (true) {
      key();
      expect(':');
      int k = topKey();
      if (k >= 0) {
        if ((seen & 1 << k) != 0) {
          throw DECLINE; // a repeated key: the last one wins, which the parser path handles
        }
        seen |= 1 << k;
      }
      switch (k) {
        case 0 -> kind = cached();
        case 1 -> apiVersion = cached();
        case 2 -> auditID = text();
        case 3 -> stage = cached();
        case 4 -> requestURI = text();
        case 5 -> verb = cached();
        case 6 -> user = isNull() ? UserInfo.EMPTY : user(true);
        case 7 -> impersonatedUser = isNull() ? null : user(false);
        case 8 -> constraint = isNull() ? "" : field(CONSTRAINT);
        case 9 -> objectRef = isNull() ? null : objectRef();
        case 10 -> {
          code = 0;
          reason = "";
          message = "";
          if (!isNull() && !emptyObject()) {
            do {
              key();
              expect(':');
              if (isKey(CODE)) {
                code = code();
              } else if (isKey(REASON)) {
                reason = text();
              } else if (isKey(MESSAGE)) {
                message = text();
              } else {
                skip(1);
              }
            } while (next());
          }
        }
        case 11 -> received = text();
        case 12 -> timestamp = text();
        case 13 -> stageTimestamp = text();
        case 14 -> userAgent = cached();
        case 15 -> annotations = isNull() ? Map.of() : decision();
        case 16 -> body = isNull() ? RequestBody.NONE : requestBody();
        case 17 -> storedSigner = isNull() ? "" : storedSigner();
        default -> skip(1);
      }
      if (!next()) {
        break;
      }
    }
    if (pos != end || !kind.equals("Event") || !apiVersion.startsWith("audit.k8s.io/")) {
      throw DECLINE;
    }
    String time =
        !received.isEmpty() ? received : !timestamp.isEmpty() ? timestamp : stageTimestamp;
    return new AuditEvent(
        auditID,
        Stage.parse(stage),
        requestURI,
        verb,
        user,
        impersonatedUser,
        constraint,
        objectRef,
        code,
        reason,
        message,
        time.isEmpty() ? null : Timestamps.parse(time),
        EventDecoder.repairedKeys(annotations),
        body.withStoredSignerName(storedSigner),
        stageTimestamp,
        userAgent);
  }

  // ---------------------------------------------------------------- the parts of an event

  private UserInfo user(boolean lean) {
    String username = "";
    String uid = "";
    List<String> groups = List.of();
    Map<String, List<String>> extra = Map.of();
    if (emptyObject()) {
      return new UserInfo(username, uid, groups, extra);
    }
    do {
      key();
      expect(':');
      if (isKey(USERNAME)) {
        username = cached();
      } else if (isKey(UID)) {
        if (lean) {
          skip(2);
          uid = "";
        } else {
          uid = text();
        }
      } else if (isKey(GROUPS)) {
        groups = strings();
      } else if (isKey(EXTRA)) {
        extra = !lean && peek() == '{' ? stringListMap() : skipTo(Map.of());
      } else {
        skip(2);
      }
    } while (next());
    return new UserInfo(username, uid, groups, extra);
  }

  /** The string items of an array (others skipped); empty for anything but an array. */
  private List<String> strings() {
    if (peek() != '[') {
      skip(2);
      return List.of();
    }
    pos++;
    List<String> out = new ArrayList<>(4);
    if (peek() == ']') {
      pos++;
      return out;
    }
    while (true) {
      if (peek() == '"') {
        out.add(cached());
      } else {
        skip(3);
      }
      byte c = b[pos++];
      if (c == ']') {
        return out;
      }
      if (c != ',') {
        throw DECLINE;
      }
    }
  }

  private Map<String, List<String>> stringListMap() {
    Map<String, List<String>> out = new LinkedHashMap<>();
    if (emptyObject()) {
      return out;
    }
    do {
      String name = string();
      expect(':');
      out.put(name, strings());
    } while (next());
    return out;
  }

  private ObjectReference objectRef() {
    String resource = "";
    String namespace = "";
    String name = "";
    String apiGroup = "";
    String version = "";
    String subresource = "";
    if (!emptyObject()) {
      do {
        key();
        expect(':');
        if (isKey(RESOURCE)) {
          resource = cached();
        } else if (isKey(NAMESPACE)) {
          namespace = cached();
        } else if (isKey(NAME)) {
          name = text();
        } else if (isKey(API_GROUP)) {
          apiGroup = cached();
        } else if (isKey(API_VERSION)) {
          version = cached();
        } else if (isKey(SUBRESOURCE)) {
          subresource = cached();
        } else {
          skip(2);
        }
      } while (next());
    }
    // v1alpha1 had no objectRef.apiGroup: its apiVersion held "group/version" ("v1" for core).
    if (apiGroup.isEmpty() && version.contains("/")) {
      int slash = version.lastIndexOf('/');
      apiGroup = version.substring(0, slash);
      version = version.substring(slash + 1);
    }
    return new ObjectReference(resource, namespace, name, apiGroup, version, subresource);
  }

  /** One text field of an object (the last occurrence); the rest is skipped. */
  private String field(byte[] wanted) {
    String found = "";
    if (emptyObject()) {
      return found;
    }
    do {
      key();
      expect(':');
      if (isKey(wanted)) {
        found = text();
      } else {
        skip(2);
      }
    } while (next());
    return found;
  }

  /**
   * A text field of a nested object as a tree reads it ({@link Json#text}): "" for an object, an
   * array or null.
   */
  private String treeText() {
    byte c = peek();
    if (c == '{' || c == '[') {
      skip(3);
      return "";
    }
    return text();
  }

  /** One text field of a nested object read as a tree ("" when it is not an object). */
  private String treeField(byte[] wanted) {
    if (peek() != '{') {
      skip(2);
      return "";
    }
    String found = "";
    if (emptyObject()) {
      return found;
    }
    do {
      key();
      expect(':');
      if (isKey(wanted)) {
        found = treeText();
      } else {
        skip(3);
      }
    } while (next());
    return found;
  }

  /** {@code roleRef} and {@code spec.signerName} of a request body. */
  private RequestBody requestBody() {
    String kind = "";
    String name = "";
    String signer = "";
    if (!emptyObject()) {
      do {
        key();
        expect(':');
        if (isKey(ROLE_REF)) {
          kind = "";
          name = "";
          if (peek() == '{') {
            if (!emptyObject()) {
              do {
                key();
                expect(':');
                if (isKey(KIND)) {
                  kind = treeText();
                } else if (isKey(NAME)) {
                  name = treeText();
                } else {
                  skip(3);
                }
              } while (next());
            }
          } else {
            skip(2);
          }
        } else if (isKey(SPEC)) {
          signer = treeField(SIGNER_NAME);
        } else {
          skip(2);
        }
      } while (next());
    }
    return new RequestBody(kind, name, signer);
  }

  /** {@code spec.signerName} of a response body. */
  private String storedSigner() {
    String signer = "";
    if (!emptyObject()) {
      do {
        key();
        expect(':');
        if (isKey(SPEC)) {
          signer = treeField(SIGNER_NAME);
        } else {
          skip(2);
        }
      } while (next());
    }
    return signer;
  }

  /**
   * The annotations the lean decode keeps: the decision's key, as written or with "_" for the dots
   * of its prefix, with a string value (a repeated key keeps its first place and last value).
   */
  private Map<String, String> decision() {
    String name = null;
    String value = null;
    if (emptyObject()) {
      return Map.of();
    }
    do {
      key();
      expect(':');
      if (isDecisionKey()) {
        if (name != null) {
          throw DECLINE; // two of them: which one counts is the parser path's to say
        }
        name =
            isKey(DECISION)
                ? AuditEvent.DECISION
                : new String(b, keyFrom, keyTo - keyFrom, StandardCharsets.ISO_8859_1);
        if (peek() == '"') {
          value = cached();
        } else {
          skip(2);
        }
      } else {
        skip(2);
      }
    } while (next());
    return value == null ? Map.of() : Map.of(name, value);
  }

  private boolean isDecisionKey() {
    if (keyTo - keyFrom != DECISION.length) {
      return false;
    }
    for (int i = 0; i < DECISION.length; i++) {
      byte c = b[keyFrom + i];
      if (c != DECISION[i] && !(i < DECISION_SLASH && c == '_' && DECISION[i] == '.')) {
        return false;
      }
    }
    return true;
  }

  /** {@code responseStatus.code}: a plain int; anything else declines. */
  private int code() {
    int start = pos;
    boolean negative = peek() == '-';
    if (negative) {
      pos++;
    }
    int digitsFrom = pos;
    long value = 0;
    while (pos < end && b[pos] >= '0' && b[pos] <= '9') {
      value = value * 10 + (b[pos] - '0');
      pos++;
      if (pos - digitsFrom > 9) {
        throw DECLINE;
      }
    }
    int digits = pos - digitsFrom;
    if (digits == 0 || (digits > 1 && b[digitsFrom] == '0')) {
      throw DECLINE;
    }
    byte c = peek();
    if (c == '.' || c == 'e' || c == 'E') {
      throw DECLINE;
    }
    if (pos - start > MAX_NUMBER) {
      throw DECLINE;
    }
    return (int) (negative ? -value : value);
  }

  // ---------------------------------------------------------------- JSON

  private byte peek() {
    if (pos >= end) {
      throw DECLINE;
    }
    return b[pos];
  }

  private void expect(char c) {
    if (pos >= end || b[pos] != c) {
      throw DECLINE;
    }
    pos++;
  }

  /** At an object's start: true (and past it) when the object is empty. */
  private boolean emptyObject() {
    expect('{');
    if (peek() == '}') {
      pos++;
      return true;
    }
    return false;
  }

  /** After a member: true at a comma (another member follows), false at the object's end. */
  private boolean next() {
    byte c = peek();
    pos++;
    if (c == ',') {
      return true;
    }
    if (c == '}') {
      return false;
    }
    throw DECLINE;
  }

  /** True when the current value is null (and past it). */
  private boolean isNull() {
    if (peek() == 'n') {
      literal("null");
      return true;
    }
    return false;
  }

  private <T> T skipTo(T result) {
    skip(2);
    return result;
  }

  /** A string, or "" for null; anything else declines. */
  private String text() {
    byte c = peek();
    if (c == '"') {
      return string();
    }
    if (c == 'n') {
      literal("null");
      return "";
    }
    throw DECLINE;
  }

  /** {@link #text} of a few-valued field: one String for each value ({@link #CACHE}). */
  private String cached() {
    if (peek() != '"') {
      return text();
    }
    int from = pos + 1;
    int i = from;
    int h = 0;
    while (true) {
      if (i >= end) {
        throw DECLINE;
      }
      byte c = b[i];
      if (c == '"') {
        break;
      }
      if (c == '\\' || c < 0x20) {
        return string();
      }
      h = 31 * h + c;
      i++;
    }
    int n = i - from;
    if (n > MAX_CACHED) {
      return string();
    }
    int slot = (h ^ h >>> 11) & (CACHE.length - 1);
    Cached e = CACHE[slot];
    String value;
    if (e != null && e.bytes.length == n && Arrays.equals(b, from, i, e.bytes, 0, n)) {
      value = e.value;
    } else {
      value = new String(b, from, n, StandardCharsets.ISO_8859_1);
      CACHE[slot] = new Cached(Arrays.copyOfRange(b, from, i), value);
    }
    pos = i + 1;
    return value;
  }

  /** The key at pos (no escapes in it), left in keyFrom and keyTo. */
  private void key() {
    expect('"');
    int i = pos;
    while (true) {
      if (i >= end) {
        throw DECLINE;
      }
      byte c = b[i];
      if (c == '"') {
        break;
      }
      if (c < 0x20 || c == '\\') {
        throw DECLINE;
      }
      i++;
    }
    if (i - pos > MAX_STRING) {
      throw DECLINE;
    }
    keyFrom = pos;
    keyTo = i;
    pos = i + 1;
  }

  private boolean isKey(byte[] name) {
    int n = keyTo - keyFrom;
    if (n != name.length) {
      return false;
    }
    for (int i = 0; i < n; i++) {
      if (b[keyFrom + i] != name[i]) {
        return false;
      }
    }
    return true;
  }

  /** The index of the current key in {@link #KEYS}, -1 for another. */
  private int topKey() {
    for (int k = 0; k < KEYS.length; k++) {
      if (isKey(KEYS[k])) {
        return k;
      }
    }
    return -1;
  }

  /** The string at pos. */
  private String string() {
    expect('"');
    int i = pos;
    while (true) {
      if (i >= end) {
        throw DECLINE;
      }
      byte c = b[i];
      if (c == '"') {
        break;
      }
      if (c == '\\') {
        return escaped(i);
      }
      if (c < 0x20) { // a control character, or a byte outside ASCII (negative)
        throw DECLINE;
      }
      i++;
    }
    if (i - pos > MAX_STRING) {
      throw DECLINE;
    }
    String s = new String(b, pos, i - pos, StandardCharsets.ISO_8859_1);
    pos = i + 1;
    return s;
  }

  /** The rest of a string with escapes, the first at {@code i}. */
  private String escaped(int i) {
    StringBuilder s = new StringBuilder(i - pos + 16);
    s.append(new String(b, pos, i - pos, StandardCharsets.ISO_8859_1));
    while (true) {
      if (i + 1 >= end) {
        throw DECLINE; // no room for a closing quote and what follows
      }
      byte c = b[i];
      if (c == '"') {
        break;
      }
      if (c == '\\') {
        i++;
        byte e = b[i];
        switch (e) {
          case '"', '\\', '/' -> s.append((char) e);
          case 'b' -> s.append('\b');
          case 'f' -> s.append('\f');
          case 'n' -> s.append('\n');
          case 'r' -> s.append('\r');
          case 't' -> s.append('\t');
          case 'u' -> {
            if (i + 5 >= end) {
              throw DECLINE;
            }
            int v = 0;
            for (int k = 1; k <= 4; k++) {
              int h = Character.digit(b[i + k], 16);
              if (h < 0) {
                throw DECLINE;
              }
              v = v << 4 | h;
            }
            if (Character.isSurrogate((char) v)) {
              throw DECLINE;
            }
            s.append((char) v);
            i += 4;
          }
          default -> throw DECLINE;
        }
        i++;
        continue;
      }
      if (c < 0x20) {
        throw DECLINE;
      }
      s.append((char) c);
      i++;
    }
    if (s.length() > MAX_STRING) {
      throw DECLINE;
    }
    pos = i + 1;
    return s.toString();
  }

  private void skipString() {
    expect('"');
    int i = pos;
    while (true) {
      if (i + 1 >= end) {
        throw DECLINE; // no room for a closing quote and what follows
      }
      byte c = b[i];
      if (c == '"') {
        break;
      }
      if (c == '\\') {
        i++;
        byte e = b[i];
        if (e == 'u') {
          if (i + 5 >= end) {
            throw DECLINE;
          }
          int v = 0;
          for (int k = 1; k <= 4; k++) {
            int h = Character.digit(b[i + k], 16);
            if (h < 0) {
              throw DECLINE;
            }
            v = v << 4 | h;
          }
          if (Character.isSurrogate((char) v)) {
            throw DECLINE;
          }
          i += 4;
        } else if (e != '"' && e != '\\' && e != '/' && e != 'b' && e != 'f' && e != 'n' && e != 'r'
            && e != 't') {
          throw DECLINE;
        }
      } else if (c < 0x20) {
        throw DECLINE;
      }
      i++;
    }
    if (i - pos > MAX_STRING) {
      throw DECLINE;
    }
    pos = i + 1;
  }

  /** Skips the value at pos, checking it as the parser would, at nesting {@code depth}. */
  private void skip(int depth) {
    if (depth > MAX_DEPTH) {
      throw DECLINE;
    }
    byte c = peek();
    switch (c) {
      case '"' -> skipString();
      case '{' -> {
        pos++;
        if (peek() == '}') {
          pos++;
          return;
        }
        do {
          skipString();
          expect(':');
          skip(depth + 1);
        } while (next());
      }
      case '[' -> {
        pos++;
        if (peek() == ']') {
          pos++;
          return;
        }
        while (true) {
          skip(depth + 1);
          byte d = peek();
          pos++;
          if (d == ']') {
            return;
          }
          if (d != ',') {
            throw DECLINE;
          }
        }
      }
      case 't' -> literal("true");
      case 'f' -> literal("false");
      case 'n' -> literal("null");
      default -> number();
    }
  }

  private void literal(String word) {
    for (int i = 0; i < word.length(); i++) {
      expect(word.charAt(i));
    }
  }

  /** A JSON number: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)? */
  private void number() {
    int start = pos;
    if (peek() == '-') {
      pos++;
    }
    if (peek() == '0') {
      pos++;
    } else {
      digits();
    }
    if (pos < end && b[pos] == '.') {
      pos++;
      digits();
    }
    if (pos < end && (b[pos] == 'e' || b[pos] == 'E')) {
      pos++;
      if (peek() == '+' || peek() == '-') {
        pos++;
      }
      digits();
    }
    if (pos - start > MAX_NUMBER) {
      throw DECLINE;
    }
  }

  private void digits() {
    int start = pos;
    while (pos < end && b[pos] >= '0' && b[pos] <= '9') {
      pos++;
    }
    if (pos == start) {
      throw DECLINE;
    }
  }
}
