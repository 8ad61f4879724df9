package local

import (
	"strings"
	"sync"
	"testing"

	"github.com/gatehouse-dev/gatehouse/local/internal/model"
)

// Lines are prefixed with the API's name (its logical id when it has none) and the stage, and
// end in exactly one newline whether or not the format has its own; concurrent lines never
// interleave.
func TestAccessLogHook(t *testing.T) {
	var b strings.Builder
	named := accessLogHook(&model.API{Name: "shop", LogicalID: "ShopApi"}, &b)
	unnamed := accessLogHook(&model.API{LogicalID: "ChatApi"}, &b)
	named(&model.Stage{Name: "prod"}, "192.0.2.1 - - 200 req-1")
	unnamed(&model.Stage{Name: "$default"}, `{"requestId":"req-2"}`+"\n")
	want := "[access shop/prod] 192.0.2.1 - - 200 req-1\n[access ChatApi/$default] {\"requestId\":\"req-2\"}\n"
	if b.String() != want {
		t.Errorf("wrote %q, want %q", b.String(), want)
	}

	b.Reset()
	var wg sync.WaitGroup
	for range 50 {
		wg.Go(func() { named(&model.Stage{Name: "prod"}, strings.Repeat("x", 200)) })
	}
	wg.Wait()
	line := "[access shop/prod] " + strings.Repeat("x", 200) + "\n"
	if b.String() != strings.Repeat(line, 50) {
		t.Errorf("concurrent lines interleaved")
	}
}
