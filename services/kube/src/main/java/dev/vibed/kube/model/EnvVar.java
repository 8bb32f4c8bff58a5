package dev.vibed.kube.model;

/**
 * One env variable of a version: its name, and where its value is: the key in the app's env Secret (see
 * {@code AppEnvSecrets}). {@code value} is only read, from apps written before values moved to the Secret.
 */
@com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
public class EnvVar {
    private String name;
    @com.fasterxml.jackson.annotation.JsonPropertyDescription("Key of the value in Secret vibed-env-<app id>.")
    private String secretKey;
    @com.fasterxml.jackson.annotation.JsonPropertyDescription("Legacy inline value; vibeD no longer writes it.")
    private String value;

    public EnvVar() {
    }

    public EnvVar(String name, String value) {
        this.name = name;
        this.value = value;
    }

    public static EnvVar inSecret(String name, String secretKey) {
        EnvVar e = new EnvVar();
        e.name = name;
        e.secretKey = secretKey;
        return e;
    }

    public String getSecretKey() {
        return secretKey;
    }

    public void setSecretKey(String secretKey) {
        this.secretKey = secretKey;
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
