package dev.rbacsynth.compact;

/**
 * How generation widens observed requests (audit2rbac-compatible defaults). {@code --exact} turns
 * all expansion off for strictly least privilege.
 *
 * @param expandMultiNamespace the same operation seen in several namespaces becomes cluster-wide
 * @param expandMultiName the same operation seen on several names becomes unnamed (any name)
 * @param expandVerbs watch/list → get,list,watch; update/patch → get,patch,update
 * @param includeDenied also grant requests that were denied (the point of generate: find what is
 *     needed)
 * @param widenGeneratedNames a name a controller generated (a rollout's pod, an Event) is granted
 *     for any name, since the next rollout has another one (semantics.md §7.1)
 */
public record GenerateOptions(
    boolean expandMultiNamespace,
    boolean expandMultiName,
    boolean expandVerbs,
    boolean includeDenied,
    boolean widenGeneratedNames) {

  public static final GenerateOptions DEFAULTS = new GenerateOptions(true, true, true, true, true);
  public static final GenerateOptions EXACT = new GenerateOptions(false, false, false, true, false);

  /** The three expansions and denied requests as given; generated names stay pinned. */
  public GenerateOptions(
      boolean expandMultiNamespace,
      boolean expandMultiName,
      boolean expandVerbs,
      boolean includeDenied) {
    this(expandMultiNamespace, expandMultiName, expandVerbs, includeDenied, false);
  }
}
