using System;
using System.Data.SqlClient;
using System.Diagnostics;
using System.DirectoryServices;
using System.IO;
using System.Net.Http;
using System.Web;
using System.Xml;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Acme.Web.Controllers
{
    public class AccountController : Controller
    {
        private readonly SqlConnection _conn;
        private readonly AppDbContext _db;
        private readonly HttpClient _http;

        public IActionResult Search(string name, int page)
        {
            var cmd = new SqlCommand("SELECT * FROM Accounts WHERE Name = '" + name + "'", _conn); // expect: cs-sql-concat
            var sql = $"SELECT * FROM Orders WHERE Owner = '{name}'";
            var cmd2 = new SqlCommand(sql, _conn); // expect: cs-sql-concat
            cmd2.CommandText = "DELETE FROM Carts WHERE Owner = '" + name + "'"; // expect: cs-sql-concat
            _db.Database.ExecuteSqlRaw("UPDATE Accounts SET Seen = 1 WHERE Name = '" + name + "'"); // expect: cs-sql-concat
            var safe = new SqlCommand("SELECT * FROM Accounts WHERE Name = @name", _conn); // ok
            safe.Parameters.AddWithValue("@name", name);
            var paged = new SqlCommand("SELECT * FROM Accounts ORDER BY Id OFFSET " + (page * 20) + " ROWS", _conn); // expect: cs-sql-concat
            var fixedQuery = new SqlCommand("SELECT COUNT(*) FROM Accounts", _conn); // ok
            _db.Accounts.FromSqlInterpolated($"SELECT * FROM Accounts WHERE Name = {name}"); // ok
            return View();
        }

        public IActionResult Ping([FromQuery] string host)
        {
            Process.Start("cmd.exe", "/c ping " + host); // expect: cs-process-start
            var psi = new ProcessStartInfo("ping");
            psi.Arguments = "-n 1 " + host; // expect: cs-process-start
            Process.Start(psi);
            Process.Start("notepad.exe"); // ok
            Process.Start("ping", "-n 1 localhost"); // ok
            return Ok();
        }

        public IActionResult Download(string file)
        {
            var text = System.IO.File.ReadAllText("/srv/files/" + file); // expect: cs-tainted-path
            var path = Path.Combine("/srv/reports", file); // expect: cs-tainted-path
            var stream = new FileStream(path, FileMode.Open); // expect: cs-tainted-path
            var safeText = System.IO.File.ReadAllText("/srv/files/" + Path.GetFileName(file)); // ok
            var config = System.IO.File.ReadAllText("/etc/app/settings.json"); // ok
            return Content(text);
        }

        public IActionResult Go(string returnUrl)
        {
            if (returnUrl == null)
            {
                return Redirect("/"); // ok
            }
            return Redirect(returnUrl); // expect: cs-tainted-redirect
        }

        public IActionResult GoLocal(string returnUrl)
        {
            return LocalRedirect(returnUrl); // ok
        }

        public void Legacy()
        {
            Response.Redirect(Request.Query["next"]); // expect: cs-tainted-redirect
            HttpContext.Response.Redirect("/home"); // ok
        }

        public IActionResult Greet(string name)
        {
            var html = new HtmlString("<h1>Hello " + name + "</h1>"); // expect: cs-tainted-xss
            var encoded = new HtmlString("<h1>Hello " + HttpUtility.HtmlEncode(name) + "</h1>"); // ok
            return Content("<p>" + Request.Query["q"] + "</p>", "text/html"); // expect: cs-tainted-xss
        }

        public IActionResult Plain(string name)
        {
            return Content("Hello " + name, "text/plain"); // ok
        }

        public async System.Threading.Tasks.Task<IActionResult> Fetch(string url)
        {
            var body = await _http.GetStringAsync(url); // expect: cs-tainted-ssrf
            var req = new HttpRequestMessage(HttpMethod.Get, "https://" + Request.Query["host"] + "/status"); // expect: cs-tainted-ssrf
            var health = await _http.GetStringAsync("https://api.example.org/health"); // ok
            return Ok(body);
        }

        public IActionResult Login(string user)
        {
            HttpContext.Session.SetString("user", user); // expect: cs-tainted-session
            HttpContext.Session.SetString("theme", "dark"); // ok
            HttpContext.Session.SetInt32("visits", 1); // ok
            return Ok();
        }

        public IActionResult Directory(string uid)
        {
            var searcher = new DirectorySearcher("(uid=" + uid + ")"); // expect: cs-ldap-injection
            searcher.Filter = "(&(objectClass=user)(cn=" + Request.Form["cn"] + "))"; // expect: cs-ldap-injection
            var fixedSearch = new DirectorySearcher("(objectClass=user)"); // ok
            var doc = new XmlDocument();
            doc.SelectNodes("//user[@name='" + uid + "']"); // expect: cs-xpath-injection
            doc.SelectSingleNode("//user[@active='true']"); // ok
            return Ok();
        }

        private static string Helper(string value)
        {
            return value.Trim();
        }

        public IActionResult ViaHelper(string name)
        {
            var cleaned = Helper(name);
            var cmd = new SqlCommand("SELECT * FROM T WHERE N = '" + cleaned + "'", _conn); // expect: cs-sql-concat
            return Ok();
        }
    }
}
