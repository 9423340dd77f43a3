<%@ page contentType="text/html;charset=UTF-8" trimDirectiveWhitespaces="true"
%><%@ taglib prefix="analytics" uri="https://audiencekit.dev/tags"
%><%-- Each misuse caught and its message printed, HTML-escaped, one per line. --%>
<%! /** The innermost JspException (containers may wrap the tag's own), escaped for HTML. */
    static String escape(Throwable t) {
      if (t == null) {
        return "none";
      }
      while (t.getCause() instanceof jakarta.servlet.jsp.JspException) {
        t = t.getCause();
      }
      return t.getClass().getSimpleName() + ": " + t.getMessage()
          .replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    } %>
<% Throwable failure = null; try { %><analytics:property name="orphan" value="1"/><% } catch (Throwable t) { failure = t; } %>
<p><%= escape(failure) %></p>
<% failure = null; try { %><analytics:identify><analytics:property name="x" value="1"/></analytics:identify><% } catch (Throwable t) { failure = t; } %>
<p><%= escape(failure) %></p>
<% failure = null; try { %><analytics:identify userId="${param.bad}"/><% } catch (Throwable t) { failure = t; } %>
<p><%= escape(failure) %></p>
<% failure = null; try { %><analytics:track event="Bad"><analytics:property name="when" value="${pageContext}"/></analytics:track><% } catch (Throwable t) { failure = t; } %>
<p><%= escape(failure) %></p>
