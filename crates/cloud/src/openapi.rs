//! The endpoint catalogue and the OpenAPI document made from it. Each surface
//! (the API, the QA surface) declares its endpoints once with `endpoints!`,
//! which builds both its router and its entries here: nothing can be served
//! without being documented, or documented without being served.

use serde_json::{json, Map, Value};

/// One endpoint as documented.
pub struct Endpoint {
    /// Lower-case HTTP method, as axum's routing functions are named.
    pub method: &'static str,
    pub path: &'static str,
    pub summary: &'static str,
    /// Request fields, from the endpoint's request type: the query for GET
    /// and DELETE, the form (or JSON) body for POST and PUT.
    pub fields: &'static [hik_proto::request::FieldDoc],
    /// Needs a `sessionId` header (HTTP 401 without a valid one).
    pub session: bool,
    /// What a 200 carries.
    pub returns: Returns,
}

/// The body of an endpoint's HTTP 200.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Returns {
    /// The protocol's JSON: `meta` and the endpoint's fields.
    Reply,
    /// The QA surface's JSON: fields only, no `meta` (a refused QA request
    /// gets the protocol's reply, with `meta`).
    Qa,
    /// A web page.
    Html,
    /// A PNG picture (or, when the query is refused, the protocol's reply).
    Png,
}

/// `endpoints! { TABLE, routes_fn; get "/path" => handler { session: false, request: Type, summary: ".." } ... }`
/// where `Type` names the endpoint's inputs in `hik_proto::request`.
macro_rules! endpoints {
    ($table:ident, $routes:ident, $default:ident, $guard:path;
     $( $method:ident $path:literal => $handler:path {
            session: $session:literal, request: $request:ident, $(returns: $returns:ident,)?
            summary: $summary:literal $(,)?
        } )*) => {
        pub(crate) const $table: &[crate::openapi::Endpoint] = &[$(
            crate::openapi::Endpoint {
                method: stringify!($method),
                path: $path,
                summary: $summary,
                fields: <hik_proto::request::$request as hik_proto::request::Request>::FIELDS,
                session: $session,
                returns: {
                    #[allow(unused_variables)]
                    let r = crate::openapi::Returns::$default;
                    $( let r = crate::openapi::Returns::$returns; )?
                    r
                },
            }
        ),*];

        /// The routes; a logged-in endpoint's session is checked first, by
        /// the guard (`sessions::require_session`), before its fields are read.
        pub(crate) fn $routes(
            cloud: &std::sync::Arc<crate::Cloud>,
        ) -> axum::Router<std::sync::Arc<crate::Cloud>> {
            axum::Router::new()$(.route($path, {
                let route = axum::routing::$method($handler);
                if $session {
                    route.route_layer(axum::middleware::from_fn_with_state(
                        std::sync::Arc::clone(cloud),
                        $guard,
                    ))
                } else {
                    route
                }
            }))*
        }
    };
}
pub(crate) use endpoints;

/// The OpenAPI 3 document of everything this cloud serves.
pub fn document(surfaces: &[(&str, &[Endpoint])]) -> Value {
    let mut paths = Map::new();
    for (tag, endpoints) in surfaces {
        for e in *endpoints {
            let entry = paths.entry(e.path).or_insert_with(|| json!({}));
            entry[e.method] = operation(tag, e);
        }
    }
    json!({
        "openapi": "3.0.3",
        "info": {
            "title": "Simulated Hik-Connect cloud",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "The account service of Hik-Connect as simulated here. Business outcomes \
                            are HTTP 200 with the result in meta.code (200, 403 for a dead refresh token, 1011, \
                            1012, 1013, 1014, 1015, 1041, 1043, 1069, 1100, 6002, 80000, 2001-2005); HTTP 401 \
                            for a missing or dead sessionId, 400 for an unparseable request. \
                            Clients send clientType, featureCode, lang, clientVersion and osVersion headers. \
                            Passwords travel as the lower-case hex MD5 of the password."
        },
        "paths": paths,
        "components": {
            "securitySchemes": {
                "sessionId": {"type": "apiKey", "in": "header", "name": "sessionId"}
            },
            "schemas": {
                "Reply": {
                    "type": "object",
                    "required": ["meta"],
                    "properties": {
                        "meta": {
                            "type": "object",
                            "properties": {
                                "code": {"type": "integer"},
                                "message": {"type": "string"},
                                "moreInfo": {}
                            }
                        }
                    },
                    "additionalProperties": true
                }
            }
        }
    })
}

fn operation(tag: &str, e: &Endpoint) -> Value {
    let mut parameters: Vec<Value> = e
        .path
        .split('/')
        .filter_map(|seg| seg.strip_prefix('{')?.strip_suffix('}'))
        .map(|name| json!({"name": name, "in": "path", "required": true, "schema": {"type": "string"}}))
        .collect();
    let body_fields = matches!(e.method, "post" | "put");
    if !body_fields {
        parameters.extend(e.fields.iter().map(|f| {
            json!({"name": f.name, "in": "query", "required": f.required, "schema": {"type": f.kind}})
        }));
    }
    let reply = json!({"application/json": {"schema": {"$ref": "#/components/schemas/Reply"}}});
    let ok = match e.returns {
        Returns::Reply => json!({
            "description": "A reply; the outcome is in meta.code (403 there for a dead refresh token).",
            "content": reply
        }),
        Returns::Qa => json!({
            "description": "JSON without meta (the QA surface, this document); a refused request gets a reply with meta.",
            "content": {"application/json": {"schema": {"type": "object"}}}
        }),
        Returns::Html => json!({
            "description": "A web page.",
            "content": {"text/html": {"schema": {"type": "string"}}}
        }),
        Returns::Png => json!({
            "description": "A PNG picture; a refused query gets a reply with meta instead.",
            "content": {
                "image/png": {"schema": {"type": "string", "format": "binary"}},
                "application/json": {"schema": {"$ref": "#/components/schemas/Reply"}}
            }
        }),
    };
    let mut op = json!({
        "tags": [tag],
        "summary": e.summary,
        "operationId": format!("{}{}", e.method, e.path.replace(['/', '{', '}'], "_")),
        "parameters": parameters,
        "responses": {
            "200": ok,
            "400": {"description": "The request could not be parsed at all.", "content": reply},
            "404": {"description": "No such endpoint (a path parameter left empty).", "content": reply},
            "500": {"description": "An internal fault of the cloud, contained to this request, or a QA endpoint fault.", "content": reply}
        }
    });
    if tag == "api" {
        for status in ["502", "503", "504"] {
            op["responses"][status] = json!({
                "description": "Only while QA injects an endpoint fault (POST /qa/faults with a path).",
                "content": reply
            });
        }
    }
    if body_fields {
        let properties: Map<String, Value> = e
            .fields
            .iter()
            .map(|f| (f.name.to_owned(), json!({"type": f.kind})))
            .collect();
        let required: Vec<&str> = e
            .fields
            .iter()
            .filter(|f| f.required)
            .map(|f| f.name)
            .collect();
        let mut schema = json!({"type": "object", "properties": properties});
        if !required.is_empty() {
            schema["required"] = json!(required);
        }
        op["requestBody"] = json!({
            "required": !e.fields.is_empty(),
            "content": {
                "application/x-www-form-urlencoded": {"schema": schema},
                "application/json": {"schema": schema}
            }
        });
    }
    if e.session {
        op["security"] = json!([{"sessionId": []}]);
        op["responses"]["401"] = json!({"description": "No valid sessionId.", "content": reply});
    }
    op
}
