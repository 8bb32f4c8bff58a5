package dev.vibed.kube.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import java.util.ArrayList;
import java.util.List;

/** One deploy of the app: core's {@code AppVersion}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class VersionSpec {
    private int version;
    @JsonPropertyDescription("RFC 3339 time of the deploy.")
    private String createdAt;
    private SourceSpec source;
    @JsonPropertyDescription("fast or general.")
    private String lane;
    @JsonPropertyDescription("The SandboxTemplate (and warm pool) this version runs on.")
    private String template;
    @JsonPropertyDescription("The classifier rule that chose the template.")
    private String rule;
    @JsonPropertyDescription("Folder inside the archive that holds the app; empty is the archive root.")
    private String root;
    @JsonPropertyDescription("Sent to the agent at inject time, never put on the SandboxClaim (that forces a cold start).")
    private List<EnvVar> env = new ArrayList<>();

    public int getVersion() {
        return version;
    }

    public void setVersion(int version) {
        this.version = version;
    }

    public String getCreatedAt() {
        return createdAt;
    }

    public void setCreatedAt(String createdAt) {
        this.createdAt = createdAt;
    }

    public SourceSpec getSource() {
        return source;
    }

    public void setSource(SourceSpec source) {
        this.source = source;
    }

    public String getLane() {
        return lane;
    }

    public void setLane(String lane) {
        this.lane = lane;
    }

    public String getTemplate() {
        return template;
    }

    public void setTemplate(String template) {
        this.template = template;
    }

    public String getRule() {
        return rule;
    }

    public void setRule(String rule) {
        this.rule = rule;
    }

    public String getRoot() {
        return root;
    }

    public void setRoot(String root) {
        this.root = root;
    }

    public List<EnvVar> getEnv() {
        return env;
    }

    public void setEnv(List<EnvVar> env) {
        this.env = env;
    }
}
