package dev.vibed.kube.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

import java.util.ArrayList;
import java.util.List;

/** The wire form of core's {@code AppSpec}; {@link dev.vibed.kube.store.AppMapper} converts between the two. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class VibedAppSpec {
    @Required
    @JsonPropertyDescription("Subject of the user who owns the app.")
    private String owner;
    @Required
    @JsonPropertyDescription("The app's name, unique per owner; the app id (metadata.name) derives from owner and name.")
    private String name;
    @JsonPropertyDescription("Deploy history, oldest first; bounded.")
    private List<VersionSpec> versions = new ArrayList<>();
    @JsonPropertyDescription("The version that should serve.")
    private int activeVersion;
    @JsonPropertyDescription("Copy of the active version's template, for kubectl get; written by vibeD, never read back.")
    private String template;
    @JsonPropertyDescription("When the app expires (RFC 3339); absent means never.")
    private String expiresAt;
    private boolean suspended;
    private Resources resources;
    private Egress egress;

    public String getOwner() {
        return owner;
    }

    public void setOwner(String owner) {
        this.owner = owner;
    }

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public List<VersionSpec> getVersions() {
        return versions;
    }

    public void setVersions(List<VersionSpec> versions) {
        this.versions = versions;
    }

    public int getActiveVersion() {
        return activeVersion;
    }

    public void setActiveVersion(int activeVersion) {
        this.activeVersion = activeVersion;
    }

    public String getTemplate() {
        return template;
    }

    public void setTemplate(String template) {
        this.template = template;
    }

    public String getExpiresAt() {
        return expiresAt;
    }

    public void setExpiresAt(String expiresAt) {
        this.expiresAt = expiresAt;
    }

    public boolean isSuspended() {
        return suspended;
    }

    public void setSuspended(boolean suspended) {
        this.suspended = suspended;
    }

    public Resources getResources() {
        return resources;
    }

    public void setResources(Resources resources) {
        this.resources = resources;
    }

    public Egress getEgress() {
        return egress;
    }

    public void setEgress(Egress egress) {
        this.egress = egress;
    }
}
