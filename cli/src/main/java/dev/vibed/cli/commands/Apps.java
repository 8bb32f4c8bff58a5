package dev.vibed.cli.commands;

import dev.vibed.cli.CliError;
import dev.vibed.cli.http.Answer;
import dev.vibed.cli.http.ApiClient;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** Finds an app by id or by name (the caller's own apps only, as the server shows them). */
final class Apps {
    private static final Pattern ID = Pattern.compile("^[a-z2-7]{12}$");

    private Apps() {
    }

    /** The app {@code ref} names: an id first, else the one app of that name. */
    static JsonObject find(ApiClient api, String ref) {
        if (ID.matcher(ref).matches()) {
            Answer a = api.call("GET", "/v1/apps/" + ref, null);
            if (a.status() == 200) {
                return a.json();
            }
            if (a.status() != 404) {
                api.get("/v1/apps/" + ref); // throws the mapped error
            }
        }
        for (JsonObject app : all(api, ref)) {
            if (app.getString("name", "").equals(ref)) {
                return app;
            }
        }
        throw new CliError(CliError.NOT_FOUND, "not found: you have no app with the id or name '" + ref
                + "' on " + api.server() + "; see your apps with `vibed apps`");
    }

    /** Every app of the caller, following the pages; {@code search} narrows by name or id when not null. */
    static List<JsonObject> all(ApiClient api, String search) {
        List<JsonObject> out = new ArrayList<>();
        String cursor = null;
        do {
            String path = "/v1/apps?limit=500" + (search == null ? "" : "&search=" + ApiClient.encode(search))
                    + (cursor == null ? "" : "&cursor=" + ApiClient.encode(cursor));
            JsonObject page = api.get(path);
            for (JsonValue v : page.getJsonArray("apps")) {
                out.add(v.asJsonObject());
            }
            cursor = page.getString("next_cursor", null);
        } while (cursor != null);
        return out;
    }

    static String id(JsonObject app) {
        return app.getString("app_id");
    }

    static int integer(JsonObject o, String key) {
        return o.containsKey(key) && o.get(key).getValueType() == JsonValue.ValueType.NUMBER ? o.getInt(key) : 0;
    }
}
