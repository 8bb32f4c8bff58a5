/** First use of JSON-P versus JSON-B in a fresh JVM: what the agent would pay at start for each. */
public class FirstUse {
  public record S(String state, long pid, int restarts, String bootId) {}
  public static void main(String[] a) {
    long t0 = System.nanoTime();
    String out;
    if (a[0].equals("jsonb")) {
      out = jakarta.json.bind.JsonbBuilder.create().toJson(new S("running", 42, 0, "b"));
    } else {
      out = jakarta.json.Json.createObjectBuilder().add("state","running").add("pid",42).add("restarts",0).add("bootId","b").build().toString();
    }
    System.out.println(a[0] + " first use ms=" + (System.nanoTime()-t0)/1_000_000 + " " + out);
  }
}
