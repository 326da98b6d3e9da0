package io.allowedami.argocd;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import org.luaj.vm2.Globals;
import org.luaj.vm2.LoadState;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.compiler.LuaC;
import org.luaj.vm2.lib.PackageLib;
import org.luaj.vm2.lib.TableLib;
import org.luaj.vm2.lib.jse.JseBaseLib;
import org.luaj.vm2.lib.jse.JseOsLib;
import org.luaj.vm2.lib.jse.JsePlatform;

/**
 * Runs a health check as Argo CD's util/lua does (VM.ExecuteHealthLua): the object as the global
 * table {@code obj}, converted like its decodeValue (JSON numbers as Lua numbers, null as absent);
 * the base, table, package and a safe os (time, date) libraries always, and the whole standard
 * library only where Argo CD opens it (built-in checks, and argocd-cm customizations with {@code
 * resource.customizations.useOpenLibs}); the result read like its HealthStatus (a status outside
 * Argo CD's list becomes Unknown). LuaJ implements Lua 5.2 where Argo CD's gopher-lua implements
 * 5.1: scripts keep to what both share.
 */
final class ArgoCdLua {

  /** Which libraries Argo CD opens for the script. */
  enum Libraries {
    /** An argocd-cm customization, as Argo CD runs it by default. */
    ARGOCD_CM,
    /** A built-in check under resource_customizations/ (and Argo CD's own test runner). */
    OPEN
  }

  record HealthStatus(String status, String message) {}

  static final String INVALID_HEALTH_STATUS = "Lua returned an invalid health status";

  private static final Set<String> HEALTH_STATUSES =
      Set.of("Unknown", "Progressing", "Suspended", "Healthy", "Degraded", "Missing");

  private ArgoCdLua() {}

  static synchronized HealthStatus health(String script, JsonNode object, Libraries libraries) {
    // LuaJ keeps the string metatable (s:len() and the like) in a static field that the string
    // library sets; without that library strings must have no methods, as in gopher-lua.
    LuaValue stringMetatable = LuaString.s_metatable;
    try {
      Globals globals = libraries == Libraries.OPEN ? JsePlatform.standardGlobals() : argocdCm();
      globals.set("obj", toLua(object));
      return read(globals.load(script, "health.lua").call());
    } finally {
      LuaString.s_metatable = stringMetatable;
    }
  }

  /** The libraries util/lua opens for every script: base, table, package and a safe os. */
  private static Globals argocdCm() {
    LuaString.s_metatable = null;
    Globals globals = new Globals();
    globals.load(new JseBaseLib());
    globals.load(new PackageLib());
    globals.load(new TableLib());
    globals.load(new JseOsLib());
    LuaValue os = globals.get("os");
    LuaTable safeOs = new LuaTable();
    safeOs.set("time", os.get("time"));
    safeOs.set("date", os.get("date"));
    globals.set("os", safeOs);
    globals.get("package").get("loaded").set("os", safeOs);
    LoadState.install(globals);
    LuaC.install(globals);
    return globals;
  }

  /** Like util/lua's decodeValue of the object Kubernetes' YAML-to-JSON decoding gives. */
  static LuaValue toLua(JsonNode node) {
    if (node == null || node.isNull() || node.isMissingNode()) {
      return LuaValue.NIL;
    }
    if (node.isBoolean()) {
      return LuaValue.valueOf(node.booleanValue());
    }
    if (node.isNumber()) {
      return LuaValue.valueOf(node.doubleValue());
    }
    if (node.isTextual()) {
      return LuaValue.valueOf(node.textValue());
    }
    LuaTable table = new LuaTable();
    if (node.isArray()) {
      int index = 1;
      for (JsonNode item : node) {
        table.set(index++, toLua(item));
      }
      return table;
    }
    for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
      Map.Entry<String, JsonNode> field = fields.next();
      table.set(field.getKey(), toLua(field.getValue()));
    }
    return table;
  }

  /** Like ExecuteHealthLua: nil or an empty table is no status; an unknown status is Unknown. */
  private static HealthStatus read(LuaValue result) {
    if (result.isnil()
        || (result.istable() && result.checktable().next(LuaValue.NIL).arg1().isnil())) {
      return new HealthStatus("", "");
    }
    if (!result.istable()) {
      throw new IllegalStateException(
          "expect table output from Lua script, not " + result.typename());
    }
    String status = text(result.get("status"), "status");
    String message = text(result.get("message"), "message");
    if (!HEALTH_STATUSES.contains(status)) {
      return new HealthStatus("Unknown", INVALID_HEALTH_STATUS);
    }
    return new HealthStatus(status, message);
  }

  private static String text(LuaValue value, String field) {
    if (value.isnil()) {
      return "";
    }
    if (value.type() != LuaValue.TSTRING) {
      throw new IllegalStateException(field + " must be a string, not " + value.typename());
    }
    return value.tojstring();
  }
}
