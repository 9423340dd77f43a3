<%@ page contentType="text/html;charset=UTF-8" isErrorPage="true" %>
<%@ taglib prefix="analytics" uri="https://audiencekit.dev/tags" %>
<!doctype html>
<html><head><title>Something went wrong</title></head>
<body><h1 id="error">Error ${requestScope['jakarta.servlet.error.status_code']}</h1>
<p>Visitor <span id="anonymous-id"><analytics:anonymousId/></span></p></body></html>
