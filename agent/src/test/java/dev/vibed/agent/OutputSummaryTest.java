package dev.vibed.agent;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class OutputSummaryTest {

    @Test
    void pipErrorsAreQuoted() {
        assertThat(OutputSummary.install(List.of("Collecting flask", "  WARNING: Retrying",
                "ERROR: Could not find a version that satisfies the requirement flask",
                "ERROR: No matching distribution found for flask")))
                .isEqualTo("ERROR: Could not find a version that satisfies the requirement flask; "
                        + "ERROR: No matching distribution found for flask");
    }

    @Test
    void npmLogPointersAreSkippedAndSilentFailuresShowTheLastLines() {
        assertThat(OutputSummary.install(List.of("npm error code ECONNREFUSED", "npm error syscall connect",
                "npm error FetchError: request to http://127.0.0.1:9/left-pad failed, reason: connect ECONNREFUSED",
                "npm error     at ClientRequest.<anonymous> (/usr/lib/node_modules/npm/x.js:130:14)", "npm error",
                "npm error A complete log of this run can be found in: /tmp/x.log")))
                .isEqualTo("npm error FetchError: request to http://127.0.0.1:9/left-pad failed, reason: connect "
                        + "ECONNREFUSED");
        assertThat(OutputSummary.install(List.of("npm error code E404", "npm error 404 Not Found - GET x",
                "npm error", "npm error A complete log of this run can be found in: /tmp/x.log")))
                .isEqualTo("npm error code E404; npm error 404 Not Found - GET x");
        assertThat(OutputSummary.install(List.of("a", "b", "", "c", "d"))).isEqualTo("b; c; d");
        assertThat(OutputSummary.install(List.of())).isEqualTo("no output");
    }

    @Test
    void buildsAreSummarizedByTheirLastErrorsWithoutNpmsOwnLines() {
        assertThat(OutputSummary.build(List.of("> site@1.0.0 build", "> tsc && vite build", "",
                "src/a.ts(1,7): error TS2322: Type 'string' is not assignable to type 'number'.",
                "src/b.ts(2,1): error TS2304: Cannot find name 'x'.", "Found 2 errors in 2 files.",
                "npm error Lifecycle script `build` failed with error:", "npm error code 2",
                "npm notice New minor version of npm available!")))
                .isEqualTo("src/a.ts(1,7): error TS2322: Type 'string' is not assignable to type 'number'.; "
                        + "src/b.ts(2,1): error TS2304: Cannot find name 'x'.; Found 2 errors in 2 files.");
        assertThat(OutputSummary.build(List.of("error one", "error two", "error three", "error four")))
                .isEqualTo("error two; error three; error four");
        assertThat(OutputSummary.build(List.of("> build", "> node build.js", "step 1", "step 2", "gave up")))
                .isEqualTo("step 1; step 2; gave up");
        assertThat(OutputSummary.build(List.of("> build", "> node build.js"))).isEqualTo("no output");
    }
}
