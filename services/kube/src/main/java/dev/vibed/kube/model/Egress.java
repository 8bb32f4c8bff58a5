package dev.vibed.kube.model;

import java.util.ArrayList;
import java.util.List;

/** Hosts the app may reach; optional (the template's NetworkPolicy decides when absent). */
public class Egress {
    private List<String> allowedHosts = new ArrayList<>();

    public List<String> getAllowedHosts() {
        return allowedHosts;
    }

    public void setAllowedHosts(List<String> allowedHosts) {
        this.allowedHosts = allowedHosts;
    }
}
