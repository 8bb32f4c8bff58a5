package dev.vibed.core.classify;

/**
 * How an archive will be run, and why.
 *
 * @param lane       "fast" (static files, workerd) or "general" (a process: node, python)
 * @param template   "static", "workerd", "node" or "python"
 * @param rule       the stable id of the rule that fired, e.g. "static-prebuilt-output"
 * @param root       the folder inside the archive that holds the app, "" for the archive root
 * @param reason     a sentence for the user, e.g. "index.html at dist/ (prebuilt output)"
 * @param needsBuild true when the project must be built first; the template then describes the build's output
 */
public record Classification(String lane, String template, String rule, String root, String reason, boolean needsBuild) {
    public static final String LANE_FAST = "fast";
    public static final String LANE_GENERAL = "general";
    public static final String STATIC = "static";
    public static final String WORKERD = "workerd";
    public static final String NODE = "node";
    public static final String PYTHON = "python";
    /** The rule of a static site that has to be built first: its build runs user code, so it needs a sandbox. */
    public static final String RULE_BUILD_REQUIRED = "build-required";

    static Classification fast(String template, String rule, String root, String reason) {
        return new Classification(LANE_FAST, template, rule, root, reason, false);
    }

    static Classification general(String template, String rule, String root, String reason) {
        return new Classification(LANE_GENERAL, template, rule, root, reason, false);
    }
}
