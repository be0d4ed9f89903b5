package dev.rbacsynth.read;

/**
 * OpenShift's {@code oc adm node-logs --role=master --path=kube-apiserver/audit.log} (or any
 * node-logs of several nodes) writes each line of each node's file after that node's name and one
 * space: {@code ip-10-0-140-97.ec2.internal {"kind":"Event",...}}. The audit event is the rest of
 * the line; the prefix says only which control-plane node logged it.
 */
public final class OpenShiftNodeLogs {

  /** A node name is a DNS subdomain: at most 253 characters. */
  private static final int MAX_NODE_NAME = 253;

  private OpenShiftNodeLogs() {}

  /**
   * Where the JSON object starts in {@code buf[from, to)} when the line is a node name, one space
   * and a JSON object (ending with '}'); {@code from} otherwise, so any other line is read as it
   * is.
   */
  public static int eventStart(byte[] buf, int from, int to) {
    int i = from;
    int limit = Math.min(to, from + MAX_NODE_NAME);
    while (i < limit && isNodeNameByte(buf[i])) {
      i++;
    }
    boolean named = i > from && isAlphanumeric(buf[from]) && isAlphanumeric(buf[i - 1]);
    if (named && i + 2 < to && buf[i] == ' ' && buf[i + 1] == '{' && buf[to - 1] == '}') {
      return i + 1;
    }
    return from;
  }

  private static boolean isNodeNameByte(byte b) {
    return isAlphanumeric(b) || b == '-' || b == '.';
  }

  private static boolean isAlphanumeric(byte b) {
    return (b >= 'a' && b <= 'z') || (b >= '0' && b <= '9');
  }
}
