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
import java.util.List;

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
    public void inject(Endpoint agent, InjectRequest request) throws AgentUnreachableException, InjectRejectedException {
        // Inject downloads and extracts before it answers: give it longer than a status call.
        HttpRequest req = builder(agent, "/inject").timeout(timeout.multipliedBy(6))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(request.toJson().toString())).build();
        HttpResponse<String> res = send(agent, req);
        if (res.statusCode() >= 400 && res.statusCode() < 500) {
            throw new InjectRejectedException(describe(res));
        }
        expectOk(agent, res);
    }

    @Override
    public void stop(Endpoint agent) throws AgentUnreachableException {
        expectOk(agent, send(agent, builder(agent, "/stop").POST(HttpRequest.BodyPublishers.noBody()).build()));
    }

    @Override
    public List<String> logs(Endpoint agent, int tail) throws AgentUnreachableException {
        JsonObject body = Jsons.parseObject(expectOk(agent, send(agent, get(agent, "/logs?tail=" + tail))));
        List<String> lines = new ArrayList<>();
        for (JsonValue v : Jsons.array(body, "lines")) {
            if (v.getValueType() == JsonValue.ValueType.STRING) {
                lines.add(((jakarta.json.JsonString) v).getString());
            } else {
                JsonObject line = v.asJsonObject();
                lines.add(line.getString("ts", "") + " " + line.getString("stream", "") + " " + line.getString("line", ""));
            }
        }
        return lines;
    }

    private HttpRequest get(Endpoint agent, String path) {
        return builder(agent, path).GET().build();
    }

    private HttpRequest.Builder builder(Endpoint agent, String pathAndQuery) {
        return HttpRequest.newBuilder(URI.create(agent.controlUri().toString().replaceAll("/$", "") + pathAndQuery))
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
