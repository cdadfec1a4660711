/// docs/openapi.yaml, served at `/openapi.yaml` (a test checks that the two are equal).
enum OpenAPIDocument {
    static let yaml = """
        openapi: 3.1.0
        """
}
