package dev.vibed.agent;

import java.util.List;
import java.util.function.Function;

/**
 * How a run-to-completion step (an install, a build) ended.
 *
 * @param exitCode null when it never exited on its own (could not start, timed out, superseded)
 * @param problem  why it has no exit code, else null
 * @param output   its last lines, for the summary
 * @param tail     its bounded output tail, for crashLog
 */
record StepResult(Integer exitCode, String problem, List<String> output, String tail) {
    StepResult {
        output = List.copyOf(output);
    }

    static StepResult problem(String why, String tail) {
        return new StepResult(null, why, List.of(), tail);
    }

    boolean succeeded() {
        return exitCode != null && exitCode == 0;
    }

    /** {@code problem}, or the summarized output followed by {@code (<label>exit code N)}. */
    String failure(Function<List<String>, String> summary, String label) {
        return problem != null ? problem : summary.apply(output) + " (" + label + "exit code " + exitCode + ")";
    }
}
