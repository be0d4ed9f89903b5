package dev.rbacsynth.report;

import dev.rbacsynth.cani.AccessList;
import java.util.ArrayList;
import java.util.List;

/** {@code can-i --list} as the aligned table {@code kubectl auth can-i --list} prints. */
public final class AccessListTable {
  private AccessListTable() {}

  /** The table; {@code withSources} adds the bindings that grant each row. */
  public static String render(AccessList list, boolean withSources) {
    List<String[]> table = new ArrayList<>();
    table.add(
        withSources
            ? new String[] {
              "RESOURCES", "NON-RESOURCE URLS", "RESOURCE NAMES", "VERBS", "GRANTED BY"
            }
            : new String[] {"RESOURCES", "NON-RESOURCE URLS", "RESOURCE NAMES", "VERBS"});
    for (AccessList.Row r : list.rows()) {
      String verbs = "[" + String.join(" ", r.verbs()) + "]";
      table.add(
          withSources
              ? new String[] {
                r.resources(),
                r.nonResourceURLs(),
                r.resourceNames(),
                verbs,
                String.join("; ", r.grantedBy())
              }
              : new String[] {r.resources(), r.nonResourceURLs(), r.resourceNames(), verbs});
    }
    return TextTable.render(table);
  }
}
