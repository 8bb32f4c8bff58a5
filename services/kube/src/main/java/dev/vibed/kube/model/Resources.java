package dev.vibed.kube.model;

import com.fasterxml.jackson.annotation.JsonInclude;

/** Requested sandbox size as Kubernetes quantities (for example "500m", "512Mi"); optional. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Resources {
    private String cpu;
    private String memory;

    public String getCpu() {
        return cpu;
    }

    public void setCpu(String cpu) {
        this.cpu = cpu;
    }

    public String getMemory() {
        return memory;
    }

    public void setMemory(String memory) {
        this.memory = memory;
    }
}
