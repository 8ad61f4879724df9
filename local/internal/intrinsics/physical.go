package intrinsics

import (
	"crypto/sha256"
	"fmt"
	"math/big"
	"strings"
)

// Resource types whose Ref and attributes the resolver knows.
const (
	typeFunction    = "AWS::Lambda::Function"
	typeAlias       = "AWS::Lambda::Alias"
	typeVersion     = "AWS::Lambda::Version"
	typeRole        = "AWS::IAM::Role"
	typeHTTPAPI     = "AWS::ApiGatewayV2::Api"
	typeStageV2     = "AWS::ApiGatewayV2::Stage"
	typeDomainV2    = "AWS::ApiGatewayV2::DomainName"
	typeRestAPI     = "AWS::ApiGateway::RestApi"
	typeRestStage   = "AWS::ApiGateway::Stage"
	typeRestDomain  = "AWS::ApiGateway::DomainName"
	typeDomainRest2 = "AWS::ApiGateway::DomainNameV2" // a private custom domain name
	typeRestModel   = "AWS::ApiGateway::Model"
	typeTable       = "AWS::DynamoDB::Table"
	typeQueue       = "AWS::SQS::Queue"
	typeTopic       = "AWS::SNS::Topic"
	typeBucket      = "AWS::S3::Bucket"
	typeLogGroup    = "AWS::Logs::LogGroup"
	apigwV2Prefix   = "AWS::ApiGatewayV2::"
	apigwRestPrefix = "AWS::ApiGateway::"
)

// LocalID is a stable identifier of n lowercase base-36 characters, hashed from parts. API ids
// (n=10) and route, integration and authorizer ids (n=7) have the shapes API Gateway gives them,
// and stay the same across runs so URLs printed yesterday still work.
func LocalID(n int, parts ...string) string {
	sum := sha256.Sum256([]byte(strings.Join(parts, "\x00")))
	s := new(big.Int).SetBytes(sum[:]).Text(36)
	for len(s) < n {
		s += s
	}
	return s[:n]
}

// APIID is the local id of an ApiGatewayV2 Api or ApiGateway RestApi.
func APIID(stack, logicalID string) string { return LocalID(10, "api", stack, logicalID) }

// DomainNameID is the id of a private custom domain name (AWS::ApiGateway::DomainNameV2).
func DomainNameID(stack, logicalID string) string { return LocalID(10, "domainname", stack, logicalID) }

// cloudFrontHostedZoneID is the hosted zone of every CloudFront distribution, which edge-optimized
// custom domain names are.
const cloudFrontHostedZoneID = "Z2FDTNDATAQYW2"

// RegionalHostedZoneID stands in for the Route 53 zone of a region's API Gateway endpoints: a
// stable value of the same shape, since nothing local resolves DNS through it.
func RegionalHostedZoneID(region string) string {
	return "Z" + strings.ToUpper(LocalID(13, "zone", region))
}

// FunctionName is the name CloudFormation would give a function without FunctionName, minus
// the random suffix so it stays stable: "{stack}-{logicalId}", at most 64 characters.
func FunctionName(stack, logicalID string) string { return trim(stack+"-"+logicalID, 64) }

// FunctionARN is the ARN of a function named name.
func FunctionARN(partition, region, account, name string) string {
	return fmt.Sprintf("arn:%s:lambda:%s:%s:function:%s", partition, region, account, name)
}

// APIEndpoint is the execute-api URL AWS would report as ApiEndpoint.
func APIEndpoint(id, region string, websocket bool) string {
	scheme := "https"
	if websocket {
		scheme = "wss"
	}
	return fmt.Sprintf("%s://%s.execute-api.%s.%s", scheme, id, region, urlSuffix(region))
}

// alphanumeric keeps the ASCII letters and digits of s.
func alphanumeric(s string) string {
	var b strings.Builder
	for _, c := range s {
		if c < 0x80 && (c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
			b.WriteRune(c)
		}
	}
	return b.String()
}

func trim(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}

func partition(region string) string {
	switch {
	case strings.HasPrefix(region, "cn-"):
		return "aws-cn"
	case strings.HasPrefix(region, "us-gov-"):
		return "aws-us-gov"
	}
	return "aws"
}

func urlSuffix(region string) string {
	if strings.HasPrefix(region, "cn-") {
		return "amazonaws.com.cn"
	}
	return "amazonaws.com"
}

// nameProperty resolves a resource's optional name property (FunctionName, RoleName, ...),
// returning "" when it is absent.
func (r *Resolver) nameProperty(id, prop string) (string, error) {
	v, err := r.Resolve(r.t.Resources[id].Properties[prop])
	if err != nil {
		return "", fmt.Errorf("resource %q: property %s: %w", id, prop, err)
	}
	if v == nil {
		return "", nil
	}
	s, err := stringValue(v)
	if err != nil {
		return "", fmt.Errorf("resource %q: property %s: %w", id, prop, err)
	}
	return s, nil
}

// enter guards against a resource whose name depends on itself through other resources.
func (r *Resolver) enter(id string) (func(), error) {
	if r.resolving[id] {
		return nil, fmt.Errorf("resource %q: its value depends on itself", id)
	}
	exists, err := r.ResourceExists(id)
	if err != nil {
		return nil, fmt.Errorf("resource %q: %w", id, err)
	}
	if !exists {
		return nil, fmt.Errorf("resource %q is not created: its condition %q is false", id, r.t.Resources[id].Condition)
	}
	r.resolving[id] = true
	return func() { delete(r.resolving, id) }, nil
}

func (r *Resolver) refResource(id string) (any, error) {
	leave, err := r.enter(id)
	if err != nil {
		return nil, err
	}
	defer leave()
	res := r.t.Resources[id]
	stack := r.opts.StackName
	switch typ := res.Type; typ {
	case typeFunction:
		return r.functionName(id)
	case typeAlias, typeVersion:
		return r.qualifiedARN(id)
	case typeRole:
		return r.roleName(id)
	case typeHTTPAPI, typeRestAPI:
		return APIID(stack, id), nil
	case typeStageV2, typeRestStage:
		return r.nameProperty(id, "StageName")
	case typeDomainV2, typeRestDomain:
		return r.nameProperty(id, "DomainName")
	case typeDomainRest2:
		// A private custom domain name's Ref is its ARN, which BasePathMappingV2 names: the
		// name and an id, since many private domains may share one name.
		name, err := r.nameProperty(id, "DomainName")
		if err != nil {
			return nil, err
		}
		return fmt.Sprintf("arn:%s:apigateway:%s:%s:/domainnames/%s+%s", r.Partition(), r.opts.Region, r.opts.Account, name, DomainNameID(stack, id)), nil
	case typeRestModel:
		// A model's Ref is its name, which is what a method's RequestModels hold. Model names
		// are alphanumeric; the logical id stands in for the one CloudFormation would generate.
		return r.nameOr(id, "Name", func() string { return alphanumeric(id) })
	case typeTable:
		return r.nameOr(id, "TableName", func() string { return stack + "-" + id })
	case typeQueue:
		name, err := r.queueName(id)
		if err != nil {
			return nil, err
		}
		return fmt.Sprintf("https://sqs.%s.%s/%s/%s", r.opts.Region, urlSuffix(r.opts.Region), r.opts.Account, name), nil
	case typeTopic:
		name, err := r.nameOr(id, "TopicName", func() string { return stack + "-" + id })
		if err != nil {
			return nil, err
		}
		return r.arn("sns", name), nil
	case typeBucket:
		return r.nameOr(id, "BucketName", func() string { return strings.ToLower(trim(stack+"-"+id, 63)) })
	case typeLogGroup:
		return r.nameOr(id, "LogGroupName", func() string { return stack + "-" + id })
	case typeUserPool:
		return UserPoolID(r.opts.Region, stack, id), nil
	case typeUserPoolClient:
		return UserPoolClientID(stack, id), nil
	default:
		if strings.HasPrefix(typ, apigwV2Prefix) || strings.HasPrefix(typ, apigwRestPrefix) {
			// Routes, integrations, authorizers, deployments, resources, ...: an id of the
			// shape API Gateway uses.
			return LocalID(7, typ, stack, id), nil
		}
		return id, nil
	}
}

// GetAtt returns what {"Fn::GetAtt": [id, attr]} evaluates to.
func (r *Resolver) GetAtt(id, attr string) (any, error) {
	res, ok := r.t.Resources[id]
	if !ok {
		return nil, fmt.Errorf("Fn::GetAtt: %q: no such resource in the template", id)
	}
	ref, err := r.refResource(id)
	if err != nil {
		return nil, fmt.Errorf("Fn::GetAtt: %w", err)
	}
	refs, _ := ref.(string)
	leave, err := r.enter(id)
	if err != nil {
		return nil, fmt.Errorf("Fn::GetAtt: %w", err)
	}
	defer leave()
	stack := r.opts.StackName
	switch typ := res.Type; {
	case typ == typeFunction && attr == "Arn":
		return FunctionARN(r.Partition(), r.opts.Region, r.opts.Account, refs), nil
	case typ == typeAlias && attr == "AliasArn", typ == typeVersion && attr == "FunctionArn":
		return refs, nil
	case typ == typeVersion && attr == "Version":
		return "1", nil
	case typ == typeRole && attr == "Arn":
		path, err := r.nameProperty(id, "Path")
		if err != nil {
			return nil, err
		}
		if path == "" {
			path = "/"
		}
		return fmt.Sprintf("arn:%s:iam::%s:role%s%s", r.Partition(), r.opts.Account, path, refs), nil
	case typ == typeRole && attr == "RoleId":
		return "AROA" + strings.ToUpper(LocalID(17, "role", stack, id)), nil
	case typ == typeHTTPAPI && attr == "ApiId", typ == typeRestAPI && attr == "RestApiId":
		return refs, nil
	case typ == typeHTTPAPI && attr == "ApiEndpoint":
		proto, err := r.nameProperty(id, "ProtocolType")
		if err != nil {
			return nil, err
		}
		return APIEndpoint(refs, r.opts.Region, proto == "WEBSOCKET"), nil
	case typ == typeRestAPI && attr == "RootResourceId":
		return LocalID(10, "root", stack, id), nil
	case (typ == typeDomainV2 || typ == typeRestDomain) && attr == "RegionalDomainName":
		return fmt.Sprintf("d-%s.execute-api.%s.%s", LocalID(10, "domain", stack, id), r.opts.Region, urlSuffix(r.opts.Region)), nil
	case (typ == typeDomainV2 || typ == typeRestDomain) && attr == "RegionalHostedZoneId":
		// What a Route 53 alias record names; only DNS uses it, and the runner answers by Host.
		return RegionalHostedZoneID(r.opts.Region), nil
	case typ == typeRestDomain && attr == "DistributionDomainName":
		return fmt.Sprintf("d%s.cloudfront.net", LocalID(13, "distribution", stack, id)), nil
	case typ == typeRestDomain && attr == "DistributionHostedZoneId":
		return cloudFrontHostedZoneID, nil
	case (typ == typeDomainV2 || typ == typeRestDomain) && attr == "DomainNameArn":
		return fmt.Sprintf("arn:%s:apigateway:%s::/domainnames/%s", r.Partition(), r.opts.Region, refs), nil
	case typ == typeDomainRest2 && attr == "DomainNameArn":
		return refs, nil
	case typ == typeDomainRest2 && attr == "DomainNameId":
		return DomainNameID(stack, id), nil
	case typ == typeTable && attr == "Arn":
		return r.arn("dynamodb", "table/"+refs), nil
	case typ == typeTable && attr == "StreamArn":
		return r.arn("dynamodb", "table/"+refs+"/stream/1970-01-01T00:00:00.000"), nil
	case typ == typeQueue && (attr == "Arn" || attr == "QueueName" || attr == "QueueUrl"):
		name, err := r.queueName(id)
		if err != nil {
			return nil, err
		}
		switch attr {
		case "Arn":
			return r.arn("sqs", name), nil
		case "QueueName":
			return name, nil
		}
		return refs, nil
	case typ == typeTopic && attr == "TopicArn":
		return refs, nil
	case typ == typeTopic && attr == "TopicName":
		return refs[strings.LastIndexByte(refs, ':')+1:], nil
	case typ == typeBucket && attr == "Arn":
		return fmt.Sprintf("arn:%s:s3:::%s", r.Partition(), refs), nil
	case typ == typeBucket && (attr == "DomainName" || attr == "RegionalDomainName"):
		return fmt.Sprintf("%s.s3.%s.%s", refs, r.opts.Region, urlSuffix(r.opts.Region)), nil
	case typ == typeLogGroup && attr == "Arn":
		return fmt.Sprintf("arn:%s:logs:%s:%s:log-group:%s:*", r.Partition(), r.opts.Region, r.opts.Account, refs), nil
	case typ == typeUserPool:
		if v, ok := r.userPoolAtt(refs, attr); ok {
			return v, nil
		}
	case typ == typeUserPoolClient && attr == "ClientId":
		return refs, nil
	case typ == apigwRestPrefix+"ApiKey" && attr == "APIKeyId", typ == apigwRestPrefix+"UsagePlan" && attr == "Id":
		// CloudFormation spells these two differently from the <Type>Id pattern below.
		return refs, nil
	case strings.HasPrefix(typ, apigwV2Prefix) && attr == strings.TrimPrefix(typ, apigwV2Prefix)+"Id",
		strings.HasPrefix(typ, apigwRestPrefix) && attr == strings.TrimPrefix(typ, apigwRestPrefix)+"Id":
		// IntegrationId, RouteId, AuthorizerId, DeploymentId, ResourceId, ...
		return refs, nil
	}
	return nil, &UnknownAttributeError{Resource: id, Type: res.Type, Attribute: attr}
}

func (r *Resolver) functionName(id string) (string, error) {
	return r.nameOr(id, "FunctionName", func() string { return FunctionName(r.opts.StackName, id) })
}

func (r *Resolver) roleName(id string) (string, error) {
	return r.nameOr(id, "RoleName", func() string { return trim(r.opts.StackName+"-"+id, 64) })
}

func (r *Resolver) queueName(id string) (string, error) {
	return r.nameOr(id, "QueueName", func() string { return trim(r.opts.StackName+"-"+id, 80) })
}

func (r *Resolver) nameOr(id, prop string, generated func() string) (string, error) {
	name, err := r.nameProperty(id, prop)
	if err != nil || name != "" {
		return name, err
	}
	return generated(), nil
}

// qualifiedARN is the Ref of an alias or version: the function's ARN with the alias name or
// version ("1": a local runner publishes exactly one version) appended.
func (r *Resolver) qualifiedARN(id string) (string, error) {
	res := r.t.Resources[id]
	fn, err := r.Resolve(res.Properties["FunctionName"])
	if err != nil {
		return "", fmt.Errorf("resource %q: property FunctionName: %w", id, err)
	}
	fns, err := stringValue(fn)
	if err != nil {
		return "", fmt.Errorf("resource %q: property FunctionName: %w", id, err)
	}
	arn := fns
	if !strings.HasPrefix(fns, "arn:") {
		arn = FunctionARN(r.Partition(), r.opts.Region, r.opts.Account, fns)
	}
	qualifier := "1"
	if res.Type == typeAlias {
		if qualifier, err = r.nameProperty(id, "Name"); err != nil {
			return "", err
		}
	}
	return arn + ":" + qualifier, nil
}

func (r *Resolver) arn(service, resource string) string {
	return fmt.Sprintf("arn:%s:%s:%s:%s:%s", r.Partition(), service, r.opts.Region, r.opts.Account, resource)
}
