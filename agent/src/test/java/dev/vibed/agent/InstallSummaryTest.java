package dev.vibed.agent;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class InstallSummaryTest {

    @Test
    void pipErrorsAreQuoted() {
        assertThat(AppSupervisor.summarize(List.of("Collecting flask", "  WARNING: Retrying",
                "ERROR: Could not find a version that satisfies the requirement flask",
                "ERROR: No matching distribution found for flask")))
                .isEqualTo("ERROR: Could not find a version that satisfies the requirement flask; "
                        + "ERROR: No matching distribution found for flask");
    }

    @Test
    void npmLogPointersAreSkippedAndSilentFailuresShowTheLastLines() {
        assertThat(AppSupervisor.summarize(List.of("npm error code ECONNREFUSED", "npm error syscall connect",
                "npm error FetchError: request to http://127.0.0.1:9/left-pad failed, reason: connect ECONNREFUSED",
                "npm error     at ClientRequest.<anonymous> (/usr/lib/node_modules/npm/x.js:130:14)", "npm error",
                "npm error A complete log of this run can be found in: /tmp/x.log")))
                .isEqualTo("npm error FetchError: request to http://127.0.0.1:9/left-pad failed, reason: connect "
                        + "ECONNREFUSED");
        assertThat(AppSupervisor.summarize(List.of("npm error code E404", "npm error 404 Not Found - GET x",
                "npm error", "npm error A complete log of this run can be found in: /tmp/x.log")))
                .isEqualTo("npm error code E404; npm error 404 Not Found - GET x");
        assertThat(AppSupervisor.summarize(List.of("a", "b", "", "c", "d"))).isEqualTo("b; c; d");
        assertThat(AppSupervisor.summarize(List.of())).isEqualTo("no output");
    }
}
