package dev.vibed.kube.agentsandbox;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The fields of a claim vibeD sets. Deliberately no {@code env}: a claim with env cannot adopt a warm sandbox
 * and is always cold-started; env goes to the agent at inject time instead.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SandboxClaimSpec extends Extensible {
    private NameRef warmPoolRef;
    private PodMetadata additionalPodMetadata;

    public NameRef getWarmPoolRef() {
        return warmPoolRef;
    }

    public void setWarmPoolRef(NameRef warmPoolRef) {
        this.warmPoolRef = warmPoolRef;
    }

    public PodMetadata getAdditionalPodMetadata() {
        return additionalPodMetadata;
    }

    public void setAdditionalPodMetadata(PodMetadata additionalPodMetadata) {
        this.additionalPodMetadata = additionalPodMetadata;
    }
}
