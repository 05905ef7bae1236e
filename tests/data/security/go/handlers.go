package web

import (
	"database/sql"
	"fmt"
	"html"
	"html/template"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"

	"github.com/gorilla/mux"
)

type Server struct {
	db *sql.DB
}

func (s *Server) userHandler(w http.ResponseWriter, r *http.Request) {
	id := r.URL.Query().Get("id")
	s.db.Query("SELECT * FROM users WHERE id = '" + id + "'") // expect: go-sql-sprintf
	q := fmt.Sprintf("SELECT * FROM orders WHERE owner = '%s'", r.FormValue("owner"))
	s.db.Query(q) // expect: go-sql-sprintf
	s.db.Exec(buildDelete(id)) // expect: go-sql-sprintf
	s.db.Query("SELECT * FROM users WHERE id = $1", id) // ok
	n, _ := strconv.Atoi(id)
	s.db.Query(fmt.Sprintf("SELECT * FROM users LIMIT %d", n)) // ok
	s.db.QueryRow("SELECT count(*) FROM users") // ok
	table := "audit"
	s.db.Exec("DELETE FROM " + table + " WHERE age > 30") // ok
}

func buildDelete(owner string) string {
	return "DELETE FROM sessions WHERE owner = '" + owner + "'"
}

func (s *Server) profileHandler(w http.ResponseWriter, r *http.Request) {
	vars := mux.Vars(r)
	name := vars["name"]
	row := s.db.QueryRowContext(r.Context(), "SELECT bio FROM profiles WHERE name = '"+name+"'") // expect: go-sql-sprintf
	_ = row
	s.db.QueryRowContext(r.Context(), "SELECT bio FROM profiles WHERE name = ?", name) // ok
}

func pingHandler(w http.ResponseWriter, r *http.Request) {
	host := r.FormValue("host")
	exec.Command("sh", "-c", "ping -c 1 "+host).Run() // expect: go-exec-shell
	exec.Command("ping", "-c", "1", host).Run() // expect: go-tainted-command
	cmd := "nslookup " + r.Header.Get("X-Domain")
	exec.Command("bash", "-c", cmd).Output() // expect: go-exec-shell
	exec.Command("uptime").Run() // ok
	exec.Command("sh", "-c", "df -h /").Run() // ok
	exec.Command("ls", "-l", "/var/log").Run() // ok
}

func greetHandler(w http.ResponseWriter, r *http.Request) {
	name := r.URL.Query().Get("name")
	fmt.Fprintf(w, "<h1>Hello %s</h1>", name) // expect: go-tainted-xss
	io.WriteString(w, "<p>"+r.FormValue("comment")+"</p>") // expect: go-tainted-xss
	w.Write([]byte("<div>" + r.Referer() + "</div>")) // expect: go-tainted-xss
	page := template.HTML("<b>" + name + "</b>") // expect: go-template-unescaped
	_ = page
	fmt.Fprintf(w, "<h1>Hello %s</h1>", html.EscapeString(name)) // ok
	fmt.Fprintf(w, "<p>Method %s</p>", r.Method) // ok
	safe := template.HTML("<b>static</b>") // ok
	_ = safe
	fmt.Fprintln(w, "<p>Welcome</p>") // ok
}

func downloadHandler(w http.ResponseWriter, r *http.Request) {
	file := r.URL.Query().Get("file")
	f, _ := os.Open("/srv/files/" + file) // expect: go-tainted-path
	defer f.Close()
	p := filepath.Join("/srv/reports", r.FormValue("report")) // expect: go-tainted-path
	data, _ := os.ReadFile(p) // expect: go-tainted-path
	_ = data
	http.ServeFile(w, r, "/srv/public/"+file) // expect: go-tainted-path
	base := filepath.Base(file)
	os.Open(filepath.Join("/srv/files", base)) // ok
	os.ReadFile("/etc/app/config.yaml") // ok
}

func redirectHandler(w http.ResponseWriter, r *http.Request) {
	next := r.URL.Query().Get("next")
	http.Redirect(w, r, next, http.StatusFound) // expect: go-tainted-redirect
	http.Redirect(w, r, "/login?return="+r.FormValue("page"), http.StatusSeeOther) // expect: go-tainted-redirect
	http.Redirect(w, r, "/home", http.StatusFound) // ok
	http.Redirect(w, r, r.URL.Path, http.StatusMovedPermanently) // expect: go-tainted-redirect
}

func proxyHandler(w http.ResponseWriter, r *http.Request) {
	target := r.URL.Query().Get("url")
	resp, _ := http.Get(target) // expect: go-tainted-ssrf
	defer resp.Body.Close()
	req, _ := http.NewRequest("GET", "https://"+r.FormValue("host")+"/status", nil) // expect: go-tainted-ssrf
	_ = req
	http.Get("https://api.example.org/health") // ok
	req2, _ := http.NewRequestWithContext(r.Context(), "POST", "https://hooks.example.org/in", r.Body) // ok
	_ = req2
}

func sessionHandler(w http.ResponseWriter, r *http.Request) {
	sess, _ := store.Get(r, "app")
	sess.Values["user"] = r.FormValue("user") // expect: go-tainted-session
	sess.Values["visits"] = 1 // ok
	sess.Save(r, w)
}

func cliMain() {
	dir := os.Args[1]
	exec.Command("sh", "-c", "ls "+dir).Run() // expect: go-exec-shell
	os.Open(os.Args[2]) // ok
}
