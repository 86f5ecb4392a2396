package dev.pagoda.core.tier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pagoda.core.Model;
import dev.pagoda.core.Session;
import dev.pagoda.core.testing.ReferenceData;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

class TimelineSvgTest {

    @Test
    void aStreamedTokenDrawsOneBarGroupPerLayerWithTheStagesItsTierHas() throws Exception {
        Path path = ReferenceData.file("models/stories260K.gguf");
        // a device budget far below the model: every layer streams, some from storage
        try (Model model = Model.builder(path).contextLength(16).threads(1).vramBudget("750k").ramBudget("600k").open()) {
            TierPlan plan = model.tierPlan().orElseThrow();
            assertThat(plan.layerCount(Tier.C)).isPositive();
            Session s = model.newSession();
            s.feed(1, 2, 3);
            LayerTimeline t = model.timeline(s, 4);
            assertThat(t.layers()).hasSize(plan.layerCount());
            for (LayerTimeline.LayerSpans l : t.layers()) {
                assertThat(l.compute().present()).isTrue();
                assertThat(l.compute().endNanos()).isGreaterThanOrEqualTo(l.compute().startNanos());
                assertThat(l.copy().present()).isEqualTo(l.tier() != Tier.A);
                assertThat(l.read().present()).isEqualTo(l.tier() == Tier.C);
                if (l.copy().present()) {
                    assertThat(l.copy().endNanos()).isLessThanOrEqualTo(l.compute().startNanos());
                }
            }

            String svg = TimelineSvg.render(t, "stories260K <test> & more");
            Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                    .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
            NodeList groups = doc.getElementsByTagName("g");
            assertThat(groups.getLength()).isEqualTo(plan.layerCount());
            for (int i = 0; i < groups.getLength(); i++) {
                Element g = (Element) groups.item(i);
                assertThat(g.getAttribute("data-layer")).isEqualTo(Integer.toString(i));
                int expectedBars = plan.tier(i) == Tier.C ? 3 : plan.tier(i) == Tier.B ? 2 : 1;
                assertThat(g.getElementsByTagName("rect").getLength()).isEqualTo(expectedBars);
            }
        }
    }

    @Test
    void aResidentModelHasNoTimeline() throws Exception {
        Path path = ReferenceData.file("models/stories260K.gguf");
        try (Model model = Model.builder(path).contextLength(8).threads(1).open()) {
            assertThatThrownBy(() -> model.timeline(model.newSession(), 1))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("no layer is streamed");
        }
    }
}
