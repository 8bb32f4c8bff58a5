package dev.vibed.core.agent;

import dev.vibed.core.json.Jsons;
import jakarta.json.JsonObject;

/**
 * Body of the agent's {@code GET /status}.
 *
 * @param listening  true once the app accepts connections on {@code appPort}; {@code running} alone is not enough
 *                   for a route to be published
 * @param bootId     changes each time the agent starts, so a controller can tell a restarted, empty sandbox
 * @param revision   the revision of the last inject, or null when idle
 * @param message    why the app is not running (deadline passed, exit code, inject failure)
 * @param crashLog   the tail of the output of the last crashed run, bounded
 * @param warning    something the app's owner should fix although the app serves, e.g. that it listens on 3000
 *                   and not on $PORT (the agent forwards $PORT to it); null when there is nothing to say
 */
public record AgentStatus(AgentState state, long pid, int restarts, Integer exitCode, int appPort, String bootId,
                          String revision, boolean listening, String message, String crashLog, String warning) {

    public AgentStatus(AgentState state, long pid, int restarts, Integer exitCode, int appPort, String bootId,
                       String revision, boolean listening, String message, String crashLog) {
        this(state, pid, restarts, exitCode, appPort, bootId, revision, listening, message, crashLog, null);
    }

    public JsonObject toJson() {
        var b = Jsons.builder()
                .add("state", state.wire())
                .add("pid", pid)
                .add("restarts", restarts)
                .add("appPort", appPort)
                .add("bootId", bootId)
                .add("listening", listening);
        Jsons.addIfPresent(b, "exitCode", exitCode);
        Jsons.addIfPresent(b, "revision", revision);
        Jsons.addIfPresent(b, "message", message);
        Jsons.addIfPresent(b, "crashLog", crashLog);
        Jsons.addIfPresent(b, "warning", warning);
        return b.build();
    }

    /**
     * A short tag that changes whenever anything in the status changes: the {@code since} of a long-polling
     * {@code GET /status?wait=...}. Both sides compute it from the same JSON, so no counter has to survive restarts.
     */
    public String changeTag() {
        return Integer.toHexString(toJson().toString().hashCode());
    }

    public static AgentStatus fromJson(JsonObject o) {
        long exit = Jsons.number(o, "exitCode", Long.MIN_VALUE);
        return new AgentStatus(
                AgentState.fromWire(Jsons.string(o, "state").orElse("idle")),
                Jsons.number(o, "pid", 0),
                (int) Jsons.number(o, "restarts", 0),
                exit == Long.MIN_VALUE ? null : (int) exit,
                (int) Jsons.number(o, "appPort", 0),
                Jsons.string(o, "bootId").orElse(""),
                Jsons.string(o, "revision").orElse(null),
                Jsons.bool(o, "listening", false),
                Jsons.string(o, "message").orElse(null),
                Jsons.string(o, "crashLog").orElse(null),
                Jsons.string(o, "warning").orElse(null));
    }
}
