package dev.vibed.router.caddy;

import dev.vibed.core.route.Route;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;

/** What the router writes into Caddy reads back as the same route, so a resync leaves it alone. */
class CaddyRoutesTest {

    @ParameterizedTest
    @EnumSource(Route.Kind.class)
    void everyKindOfRouteReadsBackAsItself(Route.Kind kind) {
        Route route = new Route("vibed-app-abc", "abc.apps.test", kind == Route.Kind.PROXY ? "10.0.0.7:8080" : null, kind);

        assertThat(CaddyRoutes.fromJson(CaddyRoutes.toJson(route))).contains(route);
    }
}
