package dev.vibed.kube.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The wire form of core's {@code AppStatus}; written only through the status subresource. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class VibedAppStatus {
    @JsonPropertyDescription("Pending, Claiming, Starting, Ready, Suspended or Failed.")
    private String phase;
    private String url;
    @JsonPropertyDescription("host:port the router dials: the per-app Service.")
    private String routeTarget;
    @JsonPropertyDescription("Name of the agent-sandbox Sandbox serving the app.")
    private String sandboxRef;
    private int servingVersion;
    private int failedVersion;
    private String lastDeployedAt;
    private long observedGeneration;
    private int restarts;
    @JsonPropertyDescription("Tail of the output of the last crashed run, truncated.")
    private String lastCrashLog;
    private String message;
    private List<Condition> conditions = new ArrayList<>();
    @JsonPropertyDescription("Per version number: live, replaced, suspended or 'failed: <reason>'.")
    private Map<String, String> outcomes = new LinkedHashMap<>();

    public String getPhase() {
        return phase;
    }

    public void setPhase(String phase) {
        this.phase = phase;
    }

    public String getUrl() {
        return url;
    }

    public void setUrl(String url) {
        this.url = url;
    }

    public String getRouteTarget() {
        return routeTarget;
    }

    public void setRouteTarget(String routeTarget) {
        this.routeTarget = routeTarget;
    }

    public String getSandboxRef() {
        return sandboxRef;
    }

    public void setSandboxRef(String sandboxRef) {
        this.sandboxRef = sandboxRef;
    }

    public int getServingVersion() {
        return servingVersion;
    }

    public void setServingVersion(int servingVersion) {
        this.servingVersion = servingVersion;
    }

    public int getFailedVersion() {
        return failedVersion;
    }

    public void setFailedVersion(int failedVersion) {
        this.failedVersion = failedVersion;
    }

    public String getLastDeployedAt() {
        return lastDeployedAt;
    }

    public void setLastDeployedAt(String lastDeployedAt) {
        this.lastDeployedAt = lastDeployedAt;
    }

    public long getObservedGeneration() {
        return observedGeneration;
    }

    public void setObservedGeneration(long observedGeneration) {
        this.observedGeneration = observedGeneration;
    }

    public int getRestarts() {
        return restarts;
    }

    public void setRestarts(int restarts) {
        this.restarts = restarts;
    }

    public String getLastCrashLog() {
        return lastCrashLog;
    }

    public void setLastCrashLog(String lastCrashLog) {
        this.lastCrashLog = lastCrashLog;
    }

    public String getMessage() {
        return message;
    }

    public void setMessage(String message) {
        this.message = message;
    }

    public List<Condition> getConditions() {
        return conditions;
    }

    public void setConditions(List<Condition> conditions) {
        this.conditions = conditions;
    }

    public Map<String, String> getOutcomes() {
        return outcomes;
    }

    public void setOutcomes(Map<String, String> outcomes) {
        this.outcomes = outcomes;
    }
}
