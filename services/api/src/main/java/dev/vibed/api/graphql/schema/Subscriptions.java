package dev.vibed.api.graphql.schema;

import dev.vibed.api.graphql.stream.SinkPublisher;
import dev.vibed.core.access.Caller;
import dev.vibed.core.agent.LogLine;
import dev.vibed.core.application.Vibed;
import dev.vibed.core.lifecycle.AppService;
import dev.vibed.core.watch.AppChange;
import dev.vibed.core.watch.Subscription;
import graphql.schema.DataFetchingEnvironment;
import org.reactivestreams.Publisher;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The subscription fields as publishers over the facade's live calls: {@link Vibed#watch} for app changes and
 * {@link Vibed#followLogs} for output. The facade checks ownership and takes the caller's stream slot when the
 * field is resolved, so a refusal (not_found, too_many_streams) is an error before anything streams; closing the
 * publisher gives the slot back.
 */
final class Subscriptions {
    private final Vibed vibed;

    Subscriptions(Vibed vibed) {
        this.vibed = vibed;
    }

    Publisher<Map<String, Object>> appChanged(DataFetchingEnvironment env) {
        return watch(CallerContext.of(env), env.getArgument("id"), true);
    }

    Publisher<Map<String, Object>> appsChanged(DataFetchingEnvironment env) {
        return watch(CallerContext.of(env), null, false);
    }

    private Publisher<Map<String, Object>> watch(Caller caller, String appId, boolean endWhenRemoved) {
        AtomicReference<Subscription> watch = new AtomicReference<>();
        AtomicReference<SinkPublisher<Map<String, Object>>> self = new AtomicReference<>();
        SinkPublisher<Map<String, Object>> publisher = new SinkPublisher<>(() -> {
        }, () -> {
            Subscription w = watch.get();
            if (w != null) {
                w.close();
            }
        });
        self.set(publisher);
        // The watch starts now (so its checks answer here); its thread waits in emit() until the reader asks.
        watch.set(vibed.watch(caller, appId, change -> {
            if (!self.get().emit(event(change))) {
                throw new IllegalStateException("subscription ended");
            }
            if (change.removed() && endWhenRemoved) {
                self.get().complete();
            }
        }));
        return publisher;
    }

    Publisher<Map<String, Object>> appLogs(DataFetchingEnvironment env) {
        Caller caller = CallerContext.of(env);
        Long afterSeq = env.getArgument("afterSeq");
        AppService.LogFollow follow = vibed.followLogs(caller, env.getArgument("id"), env.getArgument("tail"), afterSeq);
        AtomicReference<SinkPublisher<Map<String, Object>>> self = new AtomicReference<>();
        SinkPublisher<Map<String, Object>> publisher = new SinkPublisher<>(
                () -> Thread.ofVirtual().name("graphql-logs-" + caller.subject()).start(() -> {
                    SinkPublisher<Map<String, Object>> p = self.get();
                    try {
                        // A null line is the agent's heartbeat: nothing to send, but a chance to notice a cancel.
                        follow.run(line -> line == null ? !p.cancelled() : p.emit(event(line)));
                        p.complete();
                    } catch (RuntimeException e) {
                        p.fail(e);
                    }
                }),
                () -> {
                    // Nothing to close: the follow notices on its next line or heartbeat (emit() answers false) and
                    // ends, which gives the caller's log-stream slot back.
                });
        self.set(publisher);
        return publisher;
    }

    /** An event is a plain map, like every subscription event here (graphql-java completes those as the field's value). */
    private static Map<String, Object> event(LogLine line) {
        Map<String, Object> e = new HashMap<>();
        e.put("seq", line.seq());
        e.put("ts", line.ts());
        e.put("stream", line.stream());
        e.put("line", line.line());
        return e;
    }

    private static Map<String, Object> event(AppChange change) {
        Map<String, Object> e = new HashMap<>();
        e.put("kind", change.removed() ? "REMOVED" : change.snapshot() ? "SNAPSHOT" : "UPDATED");
        e.put("appId", change.appId());
        e.put("app", change.app());
        return e;
    }
}
