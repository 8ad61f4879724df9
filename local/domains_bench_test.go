package local

import (
	"fmt"
	"log/slog"
	"testing"

	"github.com/gatehouse-dev/gatehouse/local/internal/model"
)

// benchDomains builds the figure's setting: 100 custom domains with 1,000 API mappings
// in all (10 each) over 20 API stages: 80 exact names with single-level keys, 10 wildcards and
// 10 exact names with multi-level keys. It returns the table and the requests (Host, path)
// that reach every mapping of every domain.
func benchDomains(b *testing.B) (*domainTable, [][2]string) {
	apis := map[string]*apiEntry{}
	for i := range 20 {
		id := fmt.Sprintf("api%02d", i)
		st := &model.Stage{Name: "prod"}
		apis[id] = &apiEntry{api: &model.API{ID: id, LogicalID: id, Protocol: model.ProtocolHTTP, Stages: []*model.Stage{st}}, stages: map[string]*model.Stage{"prod": st}}
	}
	var domains []*model.Domain
	var reqs [][2]string
	for i := range 100 {
		d := &model.Domain{LogicalID: fmt.Sprintf("D%d", i), Name: fmt.Sprintf("api%d.example%d.com", i, i%7)}
		host := d.Name
		multi := i >= 90
		if i >= 80 && i < 90 {
			d.Name = fmt.Sprintf("*.tenants%d.example.com", i)
			host = fmt.Sprintf("customer%d.tenants%d.example.com", i, i)
		}
		for j := range 10 {
			key := fmt.Sprintf("service%d", j)
			if multi {
				key = fmt.Sprintf("orders/v%d/items", j)
			}
			if j == 9 {
				key = ""
			}
			d.Mappings = append(d.Mappings, &model.APIMapping{LogicalID: fmt.Sprintf("M%d", j), API: fmt.Sprintf("api%02d", (i+j)%20), Stage: "prod", Key: key})
			reqs = append(reqs, [2]string{host + ":3000", "/" + key + "/things/42"})
		}
		domains = append(domains, d)
	}
	t, err := buildDomainTable(domains, apis, slog.New(slog.DiscardHandler))
	if err != nil {
		b.Fatal(err)
	}
	return t, reqs
}

// route is what serveDomain's routing costs a request, before the API's own: the Host's name,
// the domain, the mapping and the stripped path.
func (t *domainTable) route(hostHeader, escaped string) (*mappingRoute, string) {
	d, _ := t.lookup(hostname(hostHeader))
	if d == nil {
		return nil, ""
	}
	return d.match(escaped)
}

// BenchmarkDomainRouting measures the figure: the routing a custom domain adds to a
// request (domain lookup and mapping selection) with 100 domains and 1,000 mappings. The
// budget is 5 µs per request.
func BenchmarkDomainRouting(b *testing.B) {
	t, reqs := benchDomains(b)
	run := func(b *testing.B, reqs [][2]string) {
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			rq := reqs[i%len(reqs)]
			if m, _ := t.route(rq[0], rq[1]); m == nil {
				b.Fatalf("%s%s matched nothing", rq[0], rq[1])
			}
			i++
		}
	}
	pick := func(from, to int) [][2]string { return reqs[from*10 : to*10] }
	b.Run("all", func(b *testing.B) { run(b, reqs) })
	b.Run("exact", func(b *testing.B) { run(b, pick(0, 80)) })
	b.Run("wildcard", func(b *testing.B) { run(b, pick(80, 90)) })
	b.Run("multilevel", func(b *testing.B) { run(b, pick(90, 100)) })
	alias := make([][2]string, 0, 100)
	for _, rq := range pick(0, 10) {
		host := rq[0][:len(rq[0])-len(":3000")] + localhostAlias + ":3000"
		alias = append(alias, [2]string{host, rq[1]})
	}
	b.Run("localhost-alias", func(b *testing.B) { run(b, alias) })
	b.Run("unknown-host", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if m, _ := t.route("shop.example.org:3000", "/service1/x"); m != nil {
				b.Fatal("an unknown host matched")
			}
		}
	})
}
