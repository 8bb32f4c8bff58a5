package dev.vibed.kube.model;

/** A name/value pair, as Kubernetes writes env, so that {@code kubectl} users read it the usual way. */
public class EnvVar {
    private String name;
    private String value;

    public EnvVar() {
    }

    public EnvVar(String name, String value) {
        this.name = name;
        this.value = value;
    }

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public String getValue() {
        return value;
    }

    public void setValue(String value) {
        this.value = value;
    }
}
