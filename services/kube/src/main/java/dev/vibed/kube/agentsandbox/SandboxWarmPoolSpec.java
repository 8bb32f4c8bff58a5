package dev.vibed.kube.agentsandbox;

import com.fasterxml.jackson.annotation.JsonInclude;

/** The pool's size and the template it boots. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SandboxWarmPoolSpec extends Extensible {
    private Integer replicas;
    private NameRef sandboxTemplateRef;

    public Integer getReplicas() {
        return replicas;
    }

    public void setReplicas(Integer replicas) {
        this.replicas = replicas;
    }

    public NameRef getSandboxTemplateRef() {
        return sandboxTemplateRef;
    }

    public void setSandboxTemplateRef(NameRef sandboxTemplateRef) {
        this.sandboxTemplateRef = sandboxTemplateRef;
    }
}
