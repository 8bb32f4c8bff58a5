package dev.vibed.core.application;

import java.util.List;

/** A sandbox template users can land on, as the classifier names it, for {@code templates} queries. */
public record TemplateInfo(String name, String lane, String description) {

    /** Every template the platform knows; a deployment offers those its pool has. */
    public static final List<TemplateInfo> KNOWN = List.of(
            new TemplateInfo("static", "fast", "static sites and prebuilt front ends, served by the agent's file server"),
            new TemplateInfo("workerd", "fast", "JavaScript module workers (fetch handlers), run by workerd"),
            new TemplateInfo("node", "general", "Node.js servers and projects built with npm"),
            new TemplateInfo("python", "general", "Python servers, WSGI and ASGI apps"));
}
