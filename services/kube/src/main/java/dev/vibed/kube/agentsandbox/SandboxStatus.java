package dev.vibed.kube.agentsandbox;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.api.model.Condition;

import java.util.ArrayList;
import java.util.List;

/** A sandbox's observed state: its pod's IPs, the label selector of its pod, and a Ready condition. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SandboxStatus extends Extensible {
    /** {@code agents.x-k8s.io/sandbox-name-hash=<hash>}: selects exactly this sandbox's pod. */
    private String selector;

    public String getSelector() {
        return selector;
    }

    public void setSelector(String selector) {
        this.selector = selector;
    }

    private List<Condition> conditions = new ArrayList<>();
    private List<String> podIPs = new ArrayList<>();

    public List<Condition> getConditions() {
        return conditions;
    }

    public void setConditions(List<Condition> conditions) {
        this.conditions = conditions;
    }

    public List<String> getPodIPs() {
        return podIPs;
    }

    public void setPodIPs(List<String> podIPs) {
        this.podIPs = podIPs;
    }
}
