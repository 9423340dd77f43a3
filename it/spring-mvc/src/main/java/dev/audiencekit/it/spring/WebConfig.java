package dev.audiencekit.it.spring;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.ViewResolver;
import org.springframework.web.servlet.config.annotation.EnableWebMvc;
import org.springframework.web.servlet.view.InternalResourceViewResolver;
import org.springframework.web.servlet.view.JstlView;

/** The DispatcherServlet's configuration: the controllers, and JSP views under {@code /WEB-INF/jsp/}. */
@Configuration
@EnableWebMvc
@ComponentScan
public class WebConfig {
  @Bean
  ViewResolver viewResolver() {
    InternalResourceViewResolver resolver = new InternalResourceViewResolver("/WEB-INF/jsp/", ".jsp");
    resolver.setViewClass(JstlView.class);
    return resolver;
  }
}
