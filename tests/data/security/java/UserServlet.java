package com.acme.web;

import java.io.*;
import java.sql.*;
import java.nio.file.*;
import javax.naming.directory.*;
import javax.servlet.http.*;
import javax.xml.xpath.*;
import org.w3c.dom.Document;

public class UserServlet extends HttpServlet {
    private Connection conn;
    private DirContext ldap;

    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String id = request.getParameter("id");
        try {
            Statement st = conn.createStatement();
            st.executeQuery("SELECT * FROM accounts WHERE id = '" + id + "'"); // expect: java-sql-concat
            String q = "DELETE FROM sessions WHERE owner = " + id;
            st.executeUpdate(q); // expect: java-sql-concat
            String q2 = buildFilter(id);
            st.execute(q2); // expect: java-sql-concat
            PreparedStatement ps = conn.prepareStatement("SELECT * FROM accounts WHERE id = ?"); // ok
            ps.setString(1, id);
            ps.executeQuery(); // ok
            st.executeQuery("SELECT * FROM accounts WHERE id = " + Integer.parseInt(id)); // ok
            String fixed = "SELECT count(*) FROM accounts";
            st.executeQuery(fixed); // ok
            st.executeQuery("SELECT * FROM t WHERE kind = '" + "admin" + "'"); // ok
        } catch (SQLException e) {
            throw new IOException(e);
        }
    }

    private String buildFilter(String owner) {
        return "SELECT * FROM files WHERE owner = '" + owner + "'";
    }

    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String host = req.getParameter("host");
        Runtime.getRuntime().exec("ping -c 1 " + host); // expect: java-runtime-exec
        String cmd = "nslookup " + req.getHeader("X-Domain");
        Runtime.getRuntime().exec(cmd); // expect: java-runtime-exec
        new ProcessBuilder("sh", "-c", "tar czf /tmp/out.tgz " + host).start(); // expect: java-process-builder
        new ProcessBuilder("ping", "-c", "1", host).start(); // expect: java-process-builder
        Runtime.getRuntime().exec("uptime"); // ok
        new ProcessBuilder("ls", "-l", "/var/log").start(); // ok
        int count = Integer.parseInt(req.getParameter("count"));
        Runtime.getRuntime().exec("seq " + count); // ok
    }

    protected void doPut(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String name = req.getParameter("file");
        File f = new File("/srv/uploads/" + name); // expect: java-tainted-path
        FileInputStream in = new FileInputStream(new File("/srv/data", name)); // expect: java-tainted-path
        Path p = Paths.get("/srv/reports", req.getParameter("report")); // expect: java-tainted-path
        String renamed = name;
        renamed = renamed.trim();
        Files.readAllBytes(Paths.get("/srv/docs", renamed)); // expect: java-tainted-path
        File safe = new File("/srv/uploads/", FilenameUtils.getName(name)); // ok
        File logs = new File("/var/log/app.log"); // ok
        Path conf = Paths.get("/etc/app", "app.conf"); // ok
    }

    protected void doDelete(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String next = req.getParameter("next");
        resp.sendRedirect(next); // expect: java-tainted-redirect
        resp.sendRedirect("/login?next=" + req.getParameter("page")); // expect: java-tainted-redirect
        resp.setHeader("Location", req.getParameter("to")); // expect: java-tainted-redirect
        resp.sendRedirect("/home"); // ok
        resp.sendRedirect(req.getContextPath() + "/home"); // ok
    }

    protected void doHead(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String user = req.getParameter("user");
        HttpSession session = req.getSession();
        session.setAttribute("user", user); // expect: java-tainted-session
        req.getSession().setAttribute("role", req.getHeader("X-Role")); // expect: java-tainted-session
        session.putValue("lang", req.getParameter("lang")); // expect: java-tainted-session
        session.setAttribute("visits", 1); // ok
        session.setAttribute("started", System.currentTimeMillis()); // ok
    }

    protected void doOptions(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String name = req.getParameter("name");
        resp.getWriter().println("<h1>Hello " + name + "</h1>"); // expect: java-tainted-xss
        PrintWriter out = resp.getWriter();
        out.print(req.getParameter("comment")); // expect: java-tainted-xss
        out.write("<p>" + req.getHeader("Referer") + "</p>"); // expect: java-tainted-xss
        out.println("<h1>Hello " + Encode.forHtml(name) + "</h1>"); // ok
        out.println("<p>" + StringEscapeUtils.escapeHtml4(req.getParameter("comment")) + "</p>"); // ok
        out.println("<p>Welcome</p>"); // ok
    }

    protected void doTrace(HttpServletRequest req, HttpServletResponse resp) throws Exception {
        String uid = req.getParameter("uid");
        SearchControls sc = new SearchControls();
        ldap.search("ou=people,dc=acme", "(uid=" + uid + ")", sc); // expect: java-ldap-injection
        String filter = "(&(objectClass=person)(cn=" + req.getParameter("cn") + "))";
        ldap.search("ou=people,dc=acme", filter, sc); // expect: java-ldap-injection
        ldap.search("ou=people,dc=acme", "(uid={0})", new Object[]{uid}, sc); // ok
        ldap.search("ou=people,dc=acme", "(objectClass=person)", sc); // ok

        XPath xpath = XPathFactory.newInstance().newXPath();
        Document doc = null;
        xpath.evaluate("//user[@name='" + uid + "']/role", doc); // expect: java-xpath-injection
        String expr = "/accounts/account[id=" + req.getParameter("acct") + "]";
        xpath.compile(expr).evaluate(doc); // expect: java-xpath-injection
        xpath.evaluate("//user[@name=$name]/role", doc); // ok
        xpath.compile("/accounts/account[1]").evaluate(doc); // ok
    }

    protected void service2(HttpServletRequest req) throws Exception {
        ObjectInputStream ois = new ObjectInputStream(req.getInputStream()); // expect: java-object-input-stream
        Object o = ois.readObject();
        java.beans.XMLDecoder dec = new java.beans.XMLDecoder(req.getInputStream()); // expect: java-object-input-stream
        DataInputStream din = new DataInputStream(req.getInputStream()); // ok
    }
}
