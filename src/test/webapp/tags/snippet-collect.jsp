<%@ page contentType="text/html;charset=UTF-8" trimDirectiveWhitespaces="true"
%><%@ taglib prefix="analytics" uri="https://audiencekit.dev/tags"
%><analytics:snippet page="true"/>
