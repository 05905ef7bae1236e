package com.acme.api;

import java.net.URL;
import java.util.*;
import javax.persistence.EntityManager;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.*;
import org.springframework.web.servlet.view.RedirectView;

@RestController
public class AccountController {
    private final JdbcTemplate jdbc;
    private final EntityManager em;

    @GetMapping("/accounts")
    public List<Map<String, Object>> search(@RequestParam("q") String q, @RequestParam int limit) {
        jdbc.queryForList("SELECT * FROM accounts WHERE name LIKE '%" + q + "%'"); // expect: java-sql-concat
        String sql = String.format("SELECT * FROM accounts WHERE owner = '%s'", q);
        jdbc.queryForList(sql); // expect: java-sql-concat
        jdbc.queryForList("SELECT * FROM accounts WHERE name = ?", q); // ok
        jdbc.queryForList("SELECT * FROM accounts LIMIT " + limit); // expect: java-sql-concat
        return jdbc.queryForList("SELECT * FROM accounts WHERE active = true"); // ok
    }

    @GetMapping("/accounts/{id}")
    public Object byId(@PathVariable String id) {
        em.createQuery("from Account a where a.id = " + id).getSingleResult(); // expect: java-sql-concat
        em.createNativeQuery("SELECT * FROM accounts WHERE id = " + id).getResultList(); // expect: java-sql-concat
        return em.createQuery("from Account a where a.id = :id").setParameter("id", id).getSingleResult(); // ok
    }

    @PostMapping("/accounts/import")
    public String importData(@RequestBody String body, @RequestHeader("X-Source") String source) throws Exception {
        new URL(source).openStream(); // expect: java-tainted-ssrf
        new URL("https://partner.example.org/feed").openStream(); // ok
        String target = helperUrl(source);
        new URL(target).openConnection(); // expect: java-tainted-ssrf
        return "<div>Imported from " + source + "</div>"; // expect: java-tainted-xss
    }

    private String helperUrl(String base) {
        return base + "/export.json";
    }

    @GetMapping("/hello")
    public String hello(@RequestParam String name) {
        String safeName = HtmlUtils.htmlEscape(name);
        if (name.isEmpty()) {
            return "<p>Hello stranger</p>"; // ok
        }
        return "<p>Hello " + safeName + "</p>"; // ok
    }

    @GetMapping("/go")
    public RedirectView go(@RequestParam String url) {
        return new RedirectView(url); // expect: java-tainted-redirect
    }

    @GetMapping("/back")
    public String back(@RequestParam String page) {
        if (page.equals("home")) {
            return "redirect:/home"; // ok
        }
        return "redirect:" + page; // expect: java-tainted-redirect
    }

    @GetMapping("/run")
    public String run(@RequestParam String script, javax.script.ScriptEngine engine) throws Exception {
        engine.eval(script); // expect: java-tainted-code
        engine.eval("1 + 1"); // ok
        return "done";
    }

    @GetMapping("/report")
    public String report(@RequestParam String format) throws Exception {
        Process p = new ProcessBuilder("/usr/bin/report", "--format", format).start(); // expect: java-process-builder
        Process q = new ProcessBuilder("/usr/bin/report", "--format", "pdf").start(); // ok
        return "ok";
    }
}
