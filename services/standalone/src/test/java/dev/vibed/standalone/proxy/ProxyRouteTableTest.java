package dev.vibed.standalone.proxy;

import dev.vibed.core.route.Route;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** The embedded proxy's routes, and the wake-ups a deploy's serving check waits on. */
class ProxyRouteTableTest {

    @Test
    void aWatcherOfAHostIsCalledWhenThatHostsRouteIsWrittenUntilItsHandleCloses() throws Exception {
        ProxyRouteTable table = new ProxyRouteTable();
        AtomicInteger calls = new AtomicInteger();
        AutoCloseable watch = table.watchHost("a.localhost", calls::incrementAndGet);

        table.upsert(new Route("vibed-app-b", "b.localhost", "127.0.0.1:1", Route.Kind.PROXY));
        assertThat(calls).as("another host's route").hasValue(0);

        table.upsert(new Route("vibed-app-a", "a.localhost", "site:abcdefghijkl-v1", Route.Kind.PROXY));
        assertThat(calls).hasValue(1);
        assertThat(table.forHost("a.localhost")).as("the route written")
                .hasValueSatisfying(r -> assertThat(r.target()).isEqualTo("site:abcdefghijkl-v1"));

        watch.close();
        table.upsert(new Route("vibed-app-a", "a.localhost", "site:abcdefghijkl-v2", Route.Kind.PROXY));
        assertThat(calls).as("a closed watch is not called").hasValue(1);
    }
}
