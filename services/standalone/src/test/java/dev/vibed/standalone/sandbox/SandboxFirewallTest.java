package dev.vibed.standalone.sandbox;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The rule text: order matters in nftables, so the allowed destinations must come before the rejections. */
class SandboxFirewallTest {
    @Test
    void onlyTheSandboxAccountIsFilteredAndResolversStayReachable() throws Exception {
        String rules = SandboxFirewall.rules("vibed_sandbox_42", 996, List.of(InetAddress.getByName("10.255.255.53")));

        assertThat(rules).startsWith("table inet vibed_sandbox_42 {")
                .contains("type filter hook output priority 0; policy accept;");
        List<String> lines = rules.lines().map(String::trim).filter(l -> l.startsWith("meta skuid")).toList();
        assertThat(lines).allMatch(l -> l.startsWith("meta skuid 996 "));
        int resolver = index(lines, "ip daddr 10.255.255.53 meta l4proto { tcp, udp } th dport 53 accept");
        int local = index(lines, "fib daddr type local reject");
        int privateRanges = index(lines, "10.0.0.0/8");
        assertThat(lines.get(privateRanges)).contains("169.254.0.0/16", "192.168.0.0/16", "172.16.0.0/12").endsWith("reject");
        assertThat(resolver).isLessThan(local).isLessThan(privateRanges);
        assertThat(index(lines, "ip daddr 127.0.0.0/8 accept")).isLessThan(local);
        assertThat(lines.get(lines.size() - 1)).contains("fc00::/7", "fe80::/10").endsWith("reject");
    }

    private static int index(List<String> lines, String part) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(part)) {
                return i;
            }
        }
        throw new AssertionError("no rule with " + part + " in " + lines);
    }
}
