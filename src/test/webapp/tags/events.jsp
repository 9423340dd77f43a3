<%@ page contentType="text/html;charset=UTF-8" trimDirectiveWhitespaces="true"
%><%@ taglib prefix="analytics" uri="https://audiencekit.dev/tags"
%><%-- Every event tag once, with nested properties and traits; param.v carries a hostile text. --%>
<analytics:page category="Docs" name="Tags" title="${param.v}">
  <analytics:property name="section" value="events"/>
  <analytics:trait name="plan" value="pro"/>
</analytics:page>
<analytics:track event="Product Added" ip="">
  <analytics:property name="sku" value="MUG-01"/>
  <analytics:property name="price" value="${18.5}"/>
  <analytics:property name="note" value="${param.v}"/>
</analytics:track>
<analytics:identify userId="user-1">
  <analytics:trait name="name" value="${param.v}"/>
  <analytics:trait name="vip" value="${true}"/>
</analytics:identify>
<analytics:group groupId="acme">
  <analytics:trait name="employees" value="${42}"/>
</analytics:group>
<analytics:alias userId="user-1-new"/>
<p>sent</p>
