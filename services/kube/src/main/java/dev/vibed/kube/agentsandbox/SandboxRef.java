package dev.vibed.kube.agentsandbox;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.ArrayList;
import java.util.List;

/** {@code status.sandbox} of a claim: the adopted Sandbox and its pod's IPs (empty while the pod has none). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SandboxRef extends Extensible {
    private String name;
    private List<String> podIPs = new ArrayList<>();

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public List<String> getPodIPs() {
        return podIPs;
    }

    public void setPodIPs(List<String> podIPs) {
        this.podIPs = podIPs;
    }
}
