package dev.vibed.kube.agentsandbox;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.api.model.Condition;

import java.util.ArrayList;
import java.util.List;

/** What agent-sandbox reports on a claim: the bound sandbox and its pod IPs, and a Ready condition. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SandboxClaimStatus extends Extensible {
    private List<Condition> conditions = new ArrayList<>();
    private SandboxRef sandbox;

    public List<Condition> getConditions() {
        return conditions;
    }

    public void setConditions(List<Condition> conditions) {
        this.conditions = conditions;
    }

    public SandboxRef getSandbox() {
        return sandbox;
    }

    public void setSandbox(SandboxRef sandbox) {
        this.sandbox = sandbox;
    }
}
