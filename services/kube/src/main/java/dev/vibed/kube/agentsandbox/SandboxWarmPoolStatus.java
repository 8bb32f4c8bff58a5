package dev.vibed.kube.agentsandbox;

import com.fasterxml.jackson.annotation.JsonInclude;

/** How many sandboxes the pool holds and how many are ready. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SandboxWarmPoolStatus extends Extensible {
    private Integer replicas;
    private Integer readyReplicas;

    public Integer getReplicas() {
        return replicas;
    }

    public void setReplicas(Integer replicas) {
        this.replicas = replicas;
    }

    public Integer getReadyReplicas() {
        return readyReplicas;
    }

    public void setReadyReplicas(Integer readyReplicas) {
        this.readyReplicas = readyReplicas;
    }
}
