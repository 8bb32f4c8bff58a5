package dev.vibed.router.testing;

import dev.vibed.core.app.AppStatus;
import dev.vibed.core.app.Phase;

import java.util.function.UnaryOperator;

/** The app statuses router tests write in place of the controller: what the route sync turns into routes. */
public final class Statuses {
    private Statuses() {
    }

    /** Ready, serving version 1 at {@code target}. */
    public static UnaryOperator<AppStatus> ready(String target) {
        return s -> {
            AppStatus.Builder b = s.toBuilder();
            b.phase = Phase.READY;
            b.routeTarget = target;
            b.servingVersion = 1;
            return b.build();
        };
    }

    /** Failed before any version served. */
    public static UnaryOperator<AppStatus> failed() {
        return s -> {
            AppStatus.Builder b = s.toBuilder();
            b.phase = Phase.FAILED;
            return b.build();
        };
    }
}
