package dev.vibed.core.agent;

import dev.vibed.core.json.Jsons;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.stream.Stream;

/** {@link AgentClient} over HTTP with the JDK client; the same code talks to a pod or to a local process. */
public final class HttpAgentClient implements AgentClient {
    private final HttpClient http;
    private final Duration timeout;

    public HttpAgentClient(Duration timeout) {
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(timeout).build();
    }

    @Override
    public AgentStatus status(Endpoint agent) throws AgentUnreachableException {
        return AgentStatus.fromJson(Jsons.parseObject(expectOk(agent, send(agent, get(agent, "/status")))));
    }

    @Override
    public AgentStatus awaitChange(Endpoint agent, AgentStatus seen, Duration wait) throws AgentUnreachableException {
        HttpRequest req = builder(agent, "/status?wait=" + wait.toMillis() + "&since=" + seen.changeTag())
                .timeout(timeout.plus(wait)).GET().build();
        return AgentStatus.fromJson(Jsons.parseObject(expectOk(agent, send(agent, req))));
    }

    @Override
    public void inject(Endpoint agent, InjectRequest request) throws AgentUnreachableException, InjectRejectedException {
        postInject(agent, request, "/inject", Duration.ZERO);
    }

    @Override
    public Optional<Injected> injectAndAwait(Endpoint agent, InjectRequest request, Duration wait)
            throws AgentUnreachableException, InjectRejectedException {
        JsonObject body = Jsons.parseObject(postInject(agent, request, "/inject?wait=" + wait.toMillis(), wait));
        // A full status has the boot id; an agent that does not wait answers only its state and revision.
        if (!body.containsKey("bootId")) {
            return Optional.empty();
        }
        return Optional.of(new Injected(AgentStatus.fromJson(body),
                Duration.ofMillis(Math.max(0, Jsons.number(body, "waitedMs", 0)))));
    }

    private String postInject(Endpoint agent, InjectRequest request, String path, Duration wait)
            throws AgentUnreachableException, InjectRejectedException {
        // Inject downloads and extracts before it answers: give it longer than a status call.
        HttpRequest req = builder(agent, path).timeout(timeout.multipliedBy(6).plus(wait))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(request.toJson().toString())).build();
        HttpResponse<String> res = send(agent, req);
        if (res.statusCode() >= 400 && res.statusCode() < 500) {
            throw new InjectRejectedException(describe(res));
        }
        return expectOk(agent, res);
    }

    @Override
    public void stop(Endpoint agent) throws AgentUnreachableException {
        expectOk(agent, send(agent, builder(agent, "/stop").POST(HttpRequest.BodyPublishers.noBody()).build()));
    }

    @Override
    public List<LogLine> logs(Endpoint agent, int tail) throws AgentUnreachableException {
        JsonObject body = Jsons.parseObject(expectOk(agent, send(agent, get(agent, "/logs?tail=" + tail))));
        List<LogLine> lines = new ArrayList<>();
        for (JsonValue v : Jsons.array(body, "lines")) {
            lines.add(LogLine.fromJson(v.asJsonObject()));
        }
        return lines;
    }

    @Override
    public void followLogs(Endpoint agent, int tail, Predicate<LogLine> sink) throws AgentUnreachableException {
        follow(agent, HttpRequest.newBuilder(URI.create(base(agent) + "/logs?follow=true&tail=" + tail)), sink);
    }

    @Override
    public void followLogsAfter(Endpoint agent, long afterSeq, Predicate<LogLine> sink) throws AgentUnreachableException {
        // The agent's SSE resumes from Last-Event-ID, the standard way a reconnecting EventSource asks for it.
        follow(agent, HttpRequest.newBuilder(URI.create(base(agent) + "/logs?follow=true&tail=0"))
                .header("Last-Event-ID", Long.toString(afterSeq)), sink);
    }

    private void follow(Endpoint agent, HttpRequest.Builder builder, Predicate<LogLine> sink) throws AgentUnreachableException {
        // No request timeout: the stream lives as long as the reader; the agent's heartbeats keep it moving.
        HttpRequest req = builder
                .header("Authorization", "Bearer " + agent.token())
                .header("Accept", "text/event-stream").GET().build();
        HttpResponse<Stream<String>> res;
        try {
            res = http.send(req, HttpResponse.BodyHandlers.ofLines());
        } catch (IOException e) {
            throw new AgentUnreachableException("agent at " + agent.controlUri() + " unreachable: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AgentUnreachableException("interrupted", e);
        }
        if (res.statusCode() != 200) {
            res.body().close();
            throw new AgentUnreachableException("agent at " + agent.controlUri() + " answered " + res.statusCode() + " to a log follow", null);
        }
        try (Stream<String> lines = res.body()) {
            Iterator<String> it = lines.iterator();
            while (it.hasNext()) {
                String line = it.next();
                boolean more = true;
                if (line.startsWith("data:")) {
                    more = sink.test(LogLine.fromJson(Jsons.parseObject(line.substring(5).trim())));
                } else if (line.startsWith(":")) {
                    more = sink.test(null); // a heartbeat: lets the reader's side notice a closed connection
                }
                if (!more) {
                    return;
                }
            }
        } catch (java.io.UncheckedIOException e) {
            // the agent or the sandbox went away: the stream simply ends
        }
    }

    private static String base(Endpoint agent) {
        return agent.controlUri().toString().replaceAll("/$", "");
    }

    private HttpRequest get(Endpoint agent, String path) {
        return builder(agent, path).GET().build();
    }

    private HttpRequest.Builder builder(Endpoint agent, String pathAndQuery) {
        return HttpRequest.newBuilder(URI.create(base(agent) + pathAndQuery))
                .timeout(timeout)
                .header("Authorization", "Bearer " + agent.token());
    }

    private HttpResponse<String> send(Endpoint agent, HttpRequest req) throws AgentUnreachableException {
        try {
            return http.send(req, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new AgentUnreachableException("agent at " + agent.controlUri() + " unreachable: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AgentUnreachableException("interrupted", e);
        }
    }

    private static String expectOk(Endpoint agent, HttpResponse<String> res) throws AgentUnreachableException {
        if (res.statusCode() / 100 != 2) {
            throw new AgentUnreachableException("agent at " + agent.controlUri() + " answered " + describe(res), null);
        }
        return res.body();
    }

    private static String describe(HttpResponse<String> res) {
        try {
            JsonObject o = Jsons.parseObject(res.body());
            return res.statusCode() + " " + o.getString("code", "") + ": " + o.getString("message", "");
        } catch (RuntimeException e) {
            return res.statusCode() + " " + res.body();
        }
    }
}
