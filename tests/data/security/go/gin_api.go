package api

import (
	"database/sql"
	"fmt"
	"net/http"
	"os/exec"
	"strconv"

	"github.com/gin-gonic/gin"
	"github.com/labstack/echo/v4"
)

type API struct{ db *sql.DB }

func (a *API) Item(c *gin.Context) {
	id := c.Param("id")
	a.db.Query("SELECT * FROM items WHERE id = " + id) // expect: go-sql-sprintf
	a.db.Query("SELECT * FROM items WHERE id = ?", id) // ok
	n, err := strconv.Atoi(c.Query("n"))
	if err != nil {
		c.Status(http.StatusBadRequest)
		return
	}
	a.db.Query(fmt.Sprintf("SELECT * FROM items LIMIT %d", n)) // ok
	c.Writer.WriteString("<p>" + c.Query("note") + "</p>") // expect: go-tainted-xss
	c.JSON(http.StatusOK, gin.H{"id": id}) // ok
}

func (a *API) Export(c *gin.Context) {
	c.File("/srv/exports/" + c.Query("name")) // expect: go-tainted-path
	c.Redirect(http.StatusFound, c.Query("next")) // expect: go-tainted-redirect
	c.Redirect(http.StatusFound, "/done") // ok
	out, _ := exec.Command("gzip", "-c", c.PostForm("file")).Output() // expect: go-tainted-command
	c.Data(http.StatusOK, "application/gzip", out) // ok
}

func Hello(c echo.Context) error {
	return c.HTML(http.StatusOK, "<h1>Hello "+c.QueryParam("name")+"</h1>") // expect: go-tainted-xss
}

func Static(c echo.Context) error {
	return c.HTML(http.StatusOK, "<h1>Hello</h1>") // ok
}
