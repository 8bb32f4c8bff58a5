package dev.vibed.standalone;

import dev.vibed.core.testing.TarGz;
import dev.vibed.standalone.testing.Http;
import dev.vibed.standalone.testing.RunningStandalone;
import dev.vibed.standalone.testing.StandaloneServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URI;
import java.time.Duration;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The sandbox that replaces a claimed one starts once the claim's app has answered its first request through the
 * proxy, not while that answer is on its way: with a refill grace far longer than the test, only the proxy's
 * answer can start it.
 */
class RefillAfterFirstAnswerTest {
    @RegisterExtension
    static final StandaloneServer server = StandaloneServer.starting(data -> RunningStandalone.start(
            StandaloneConfig.defaults(data).withPort(0).withTemplates(Set.of("node")).withRefillGrace(Duration.ofMinutes(10))));

    @Test
    void theRefillWaitsForTheNewAppsFirstAnswerAndThenStartsAtOnce() {
        await().atMost(Duration.ofSeconds(60)).until(() -> pool("warm") == 1 && pool("starting") == 0);
        Http.Response deployed = server.http().deploy(TarGz.create().file("server.js", """
                require('http').createServer((q, s) => s.end('first answer')).listen(process.env.PORT);
                """).bytes(), "{\"name\":\"first-answer\"}");
        assertThat(deployed.status()).as(deployed.body()).isEqualTo(200);

        await("the refill waits while nobody has asked the app").during(Duration.ofMillis(1500))
                .atMost(Duration.ofSeconds(5)).until(() -> pool("warm") == 0 && pool("starting") == 1);

        String host = URI.create(deployed.json().getString("url")).getAuthority();
        Http.Response answer = server.http().getHost(host, "/");
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body()).isEqualTo("first answer");
        // One sandbox or more: the pool sizes itself from the recent claim rate, and this claim raised it.
        await("refilled after the first answer").atMost(Duration.ofSeconds(60))
                .until(() -> pool("warm") >= 1 && pool("starting") == 0);
    }

    /** {@code vibed_pool_<what>_sandboxes{template="node"}} from {@code /metrics}. */
    private static int pool(String what) {
        String metrics = server.http().get("/metrics").body();
        Matcher m = Pattern.compile("(?m)^vibed_pool_" + what + "_sandboxes\\{template=\"node\"} ([0-9.]+)").matcher(metrics);
        assertThat(m.find()).as("vibed_pool_" + what + "_sandboxes in /metrics").isTrue();
        return (int) Double.parseDouble(m.group(1));
    }
}
