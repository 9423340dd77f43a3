<%@ page contentType="text/html;charset=UTF-8" %>
<%@ taglib prefix="analytics" uri="https://audiencekit.dev/tags" %>
<analytics:page name="Order Done"/>
<!doctype html>
<html><head><title>Thank you</title></head>
<body><p>Thank you, <span id="anonymous-id"><analytics:anonymousId/></span></p></body></html>
