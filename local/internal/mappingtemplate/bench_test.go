package mappingtemplate

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/gatehouse-dev/gatehouse/local/internal/vtl"
)

// BenchmarkRenderPetStore renders the guide's PetStore response template: parsing the
// three-item body, $input.path and a #foreach, per request.
func BenchmarkRenderPetStore(b *testing.B) {
	tmpl, err := Compile("petstore", `#set($inputRoot = $input.path('$'))
[
#foreach($elem in $inputRoot)
  {
    "description" : "Item $elem.id is a $elem.type.",
    "askingPrice" : $elem.price
  }#if($foreach.hasNext),#end

#end
]`)
	if err != nil {
		b.Fatal(err)
	}
	v := Vars{
		Input:   Input{Body: []byte(`[{"id": 1, "type": "dog", "price": 249.99}, {"id": 2, "type": "cat", "price": 124.99}, {"id": 3, "type": "fish", "price": 0.99}]`)},
		Context: map[string]any{"stage": "prod", "identity": map[string]any{"sourceIp": "192.0.2.1"}},
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := tmpl.Render(v); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRenderParams renders a request template built from parameters and context
// only, the shape of most WebSocket and Lambda custom integration templates.
func BenchmarkRenderParams(b *testing.B) {
	tmpl, err := Compile("params", `{
    "connectionId": "$context.connectionId",
    "stage": "$context.stage",
    "token": "$util.escapeJavaScript($input.params('token'))",
    "body": $input.json('$')
}`)
	if err != nil {
		b.Fatal(err)
	}
	v := Vars{
		Input:   Input{Body: []byte(`{"action": "sendmessage", "message": "hello"}`), Params: Params{Querystring: map[string]string{"token": "abc"}}},
		Context: map[string]any{"connectionId": "L0SM9cOFvHcCIhw=", "stage": "dev"},
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := tmpl.Render(v); err != nil {
			b.Fatal(err)
		}
	}
}

// orderBody is a realistic request body of about 1 KB: an order with a customer, a shipping
// address and line items, the kind a REST API's request template reshapes for its backend.
const orderBody = `{
  "orderId": "ord-2026-11-000427",
  "createdAt": "2026-11-22T09:14:03Z",
  "currency": "EUR",
  "customer": {"id": "cus-81727", "name": "Ada O'Hara", "email": "ada.ohara@example.com", "tier": "gold"},
  "shipping": {"method": "express", "address": {"line1": "12 Rue de l'Église", "city": "Lyon", "postcode": "69002", "country": "FR"}},
  "items": [
    {"sku": "BK-GOPL-01", "name": "The Go Programming Language", "quantity": 1, "unitPrice": 39.5, "tags": ["books", "go"]},
    {"sku": "TY-GOPH-02", "name": "Gopher plush \"large\"", "quantity": 2, "unitPrice": 15, "tags": ["toys"]},
    {"sku": "TL-CBLT-03", "name": "Cable tester", "quantity": 1, "unitPrice": 24.99, "tags": ["tools", "electronics"]},
    {"sku": "BK-VLCT-04", "name": "Velocity templates in practice", "quantity": 3, "unitPrice": 12.75, "tags": ["books"]},
    {"sku": "GM-CHSS-05", "name": "Travel chess set", "quantity": 1, "unitPrice": 19.9, "tags": ["games"]}
  ],
  "coupon": "AUTUMN-10",
  "giftMessage": "Happy birthday!\nSee you soon / à bientôt",
  "notes": null
}`

// orderTemplate is a 20-line request template over orderBody that uses what real templates
// use: $input.path and $input.json, #set, #foreach with $foreach.hasNext, #if,
// $util.escapeJavaScript, $context and $stageVariables.
const orderTemplate = `#set($o = $input.path('$'))
#set($name = $util.escapeJavaScript($o.customer.name).replaceAll("\\'", "'"))
{
  "requestId": "$context.requestId", "stage": "$context.stage",
  "source": "$context.identity.sourceIp", "table": "$stageVariables.ordersTable",
  "order": "$util.escapeJavaScript($o.orderId)",
  "customer": {"id": "$o.customer.id", "name": "$name", "gold": #if($o.customer.tier == "gold")true#{else}false#end},
  "count": $o.items.size(), "lines": [
#foreach($item in $o.items)
#set($line = $item.quantity * $item.unitPrice)
    {"sku": "$item.sku", "name": "$util.escapeJavaScript($item.name)", "quantity": $item.quantity, "amount": $line}#if($foreach.hasNext),#end

#end
  ],
  "address": $input.json('$.shipping.address'),
#if($o.giftMessage != "")
  "gift": "$util.escapeJavaScript($o.giftMessage)",
#end
  "currency": "$stageVariables.currency"
}`

// BenchmarkRenderOrder is issue 4's figure: a 1 KB body through a 20-line template, under
// 20 µs per render. $context and $stageVariables are what the REST server passes: vtl maps
// it builds once per request (every $context variable of a request without an authorizer)
// and once per stage.
func BenchmarkRenderOrder(b *testing.B) {
	if n := len(orderBody); n < 900 || n > 1200 {
		b.Fatalf("the body is %d bytes, not about 1 KB", n)
	}
	if n := strings.Count(orderTemplate, "\n") + 1; n != 20 {
		b.Fatalf("the template has %d lines, not 20", n)
	}
	tmpl, err := Compile("order", orderTemplate)
	if err != nil {
		b.Fatal(err)
	}
	v := Vars{
		Input:             Input{Body: []byte(orderBody), Params: Params{Header: map[string]string{"Content-Type": "application/json", "Host": "abc.execute-api.localhost"}}},
		ContextMap:        vtl.Clone(requestContext()).(*vtl.Map),
		StageVariablesMap: vtl.Clone(map[string]any{"ordersTable": "orders-prod", "currency": "EUR"}).(*vtl.Map),
	}
	res, err := tmpl.Render(v)
	if err != nil {
		b.Fatal(err)
	}
	if !json.Valid([]byte(res.Body)) {
		b.Fatalf("the template renders invalid JSON:\n%s", res.Body)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := tmpl.Render(v); err != nil {
			b.Fatal(err)
		}
	}
}

// requestContext is a REST request's $context as the REST server fills it.
func requestContext() map[string]any {
	identity := map[string]any{"sourceIp": "192.0.2.1", "userAgent": "curl/8.5.0", "apiKey": "", "apiKeyId": ""}
	for _, n := range []string{"accessKey", "accountId", "caller", "cognitoAuthenticationProvider", "cognitoAuthenticationType",
		"cognitoIdentityId", "cognitoIdentityPoolId", "principalOrgId", "user", "userArn"} {
		identity[n] = ""
	}
	return map[string]any{
		"accountId": "123456789012", "apiId": "4rmr02hsax", "domainName": "4rmr02hsax.execute-api.localhost",
		"domainPrefix": "4rmr02hsax", "extendedRequestId": "vcUNZOmZvMle8RI=", "httpMethod": "POST",
		"path": "/v1/orders", "protocol": "HTTP/1.1", "requestId": "5dd90ef6-0503-454f-b68f-597818fd1ff0",
		"requestTime": "22/Nov/2026:09:14:03 +0000", "requestTimeEpoch": "1795338843000", "resourceId": "abc123",
		"resourcePath": "/orders", "stage": "v1", "identity": identity, "authorizer": map[string]any{"principalId": ""},
	}
}
