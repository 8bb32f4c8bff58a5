package dev.vibed.kube.agentsandbox;

/** A reference by name within the namespace ({@code warmPoolRef}, {@code sandboxTemplateRef}). */
public class NameRef {
    private String name;

    public NameRef() {
    }

    public NameRef(String name) {
        this.name = name;
    }

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }
}
