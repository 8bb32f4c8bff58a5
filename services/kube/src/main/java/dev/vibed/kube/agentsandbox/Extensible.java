package dev.vibed.kube.agentsandbox;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonIgnore;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Base of agent-sandbox's objects as we model them: only the fields vibeD uses are typed; every other field is
 * kept here and written back unchanged, so a newer agent-sandbox never loses data through us. (The same pattern as
 * fabric8's own model classes, which the CRD generator knows not to list as a field.)
 */
public abstract class Extensible {
    @JsonIgnore
    private final Map<String, Object> additionalProperties = new LinkedHashMap<>();

    @JsonIgnore
    @JsonAnyGetter
    public Map<String, Object> getAdditionalProperties() {
        return additionalProperties;
    }

    @JsonAnySetter
    public void setAdditionalProperty(String name, Object value) {
        additionalProperties.put(name, value);
    }
}
