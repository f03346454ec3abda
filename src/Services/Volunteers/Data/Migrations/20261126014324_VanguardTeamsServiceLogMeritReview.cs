using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Platform.Volunteers.Data.Migrations
{
    /// <inheritdoc />
    public partial class VanguardTeamsServiceLogMeritReview : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "merit_months",
                columns: table => new
                {
                    Id = table.Column<string>(type: "character varying(7)", maxLength: 7, nullable: false),
                    Status = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: false),
                    ClosedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    ClosedBy = table.Column<Guid>(type: "uuid", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_merit_months", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "service_logs",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    WorkerId = table.Column<Guid>(type: "uuid", nullable: false),
                    Kind = table.Column<string>(type: "character varying(30)", maxLength: 30, nullable: false),
                    ServedOn = table.Column<DateOnly>(type: "date", nullable: false),
                    Hours = table.Column<decimal>(type: "numeric(4,2)", precision: 4, scale: 2, nullable: false),
                    CommunityId = table.Column<Guid>(type: "uuid", nullable: false),
                    NoteCipher = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    Status = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    LoggedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    DecidedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    DecidedBy = table.Column<Guid>(type: "uuid", nullable: true),
                    DeclineReason = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    xmin = table.Column<uint>(type: "xid", rowVersion: true, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_service_logs", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "vanguard_teams",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    Name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    CommunityId = table.Column<Guid>(type: "uuid", nullable: false),
                    LeaderId = table.Column<Guid>(type: "uuid", nullable: false),
                    LeaderSince = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    FormedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    DissolvedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    xmin = table.Column<uint>(type: "xid", rowVersion: true, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_vanguard_teams", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "merit_nominations",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    Month = table.Column<string>(type: "character varying(7)", maxLength: 7, nullable: false),
                    Title = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    WorkerId = table.Column<Guid>(type: "uuid", nullable: false),
                    Reason = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: false),
                    NominatedBy = table.Column<Guid>(type: "uuid", nullable: true),
                    NominatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    Place = table.Column<int>(type: "integer", nullable: true),
                    ScoreCount = table.Column<int>(type: "integer", nullable: true),
                    AverageScore = table.Column<decimal>(type: "numeric(5,2)", precision: 5, scale: 2, nullable: true),
                    Won = table.Column<bool>(type: "boolean", nullable: false),
                    Margin = table.Column<string>(type: "character varying(30)", maxLength: 30, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_merit_nominations", x => x.Id);
                    table.ForeignKey(
                        name: "FK_merit_nominations_merit_months_Month",
                        column: x => x.Month,
                        principalTable: "merit_months",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "vanguard_memberships",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    TeamId = table.Column<Guid>(type: "uuid", nullable: false),
                    WorkerId = table.Column<Guid>(type: "uuid", nullable: false),
                    JoinedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    JoinedOn = table.Column<DateOnly>(type: "date", nullable: false),
                    LeftAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    LeftOn = table.Column<DateOnly>(type: "date", nullable: true),
                    EndedBy = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_vanguard_memberships", x => x.Id);
                    table.ForeignKey(
                        name: "FK_vanguard_memberships_vanguard_teams_TeamId",
                        column: x => x.TeamId,
                        principalTable: "vanguard_teams",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "merit_scores",
                columns: table => new
                {
                    NominationId = table.Column<Guid>(type: "uuid", nullable: false),
                    ReviewerId = table.Column<Guid>(type: "uuid", nullable: false),
                    Score = table.Column<int>(type: "integer", nullable: false),
                    ScoredAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_merit_scores", x => new { x.NominationId, x.ReviewerId });
                    table.ForeignKey(
                        name: "FK_merit_scores_merit_nominations_NominationId",
                        column: x => x.NominationId,
                        principalTable: "merit_nominations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_merit_nominations_Month_Title_WorkerId",
                table: "merit_nominations",
                columns: new[] { "Month", "Title", "WorkerId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_merit_nominations_Won_Month",
                table: "merit_nominations",
                columns: new[] { "Won", "Month" });

            migrationBuilder.CreateIndex(
                name: "IX_service_logs_CommunityId_Status_ServedOn",
                table: "service_logs",
                columns: new[] { "CommunityId", "Status", "ServedOn" });

            migrationBuilder.CreateIndex(
                name: "IX_service_logs_Status_ServedOn",
                table: "service_logs",
                columns: new[] { "Status", "ServedOn" });

            migrationBuilder.CreateIndex(
                name: "IX_service_logs_WorkerId_ServedOn",
                table: "service_logs",
                columns: new[] { "WorkerId", "ServedOn" });

            migrationBuilder.CreateIndex(
                name: "ix_vanguard_memberships_one_current_team",
                table: "vanguard_memberships",
                column: "WorkerId",
                unique: true,
                filter: "\"LeftAt\" IS NULL");

            migrationBuilder.CreateIndex(
                name: "IX_vanguard_memberships_TeamId_LeftAt",
                table: "vanguard_memberships",
                columns: new[] { "TeamId", "LeftAt" });

            migrationBuilder.CreateIndex(
                name: "IX_vanguard_memberships_WorkerId_JoinedAt",
                table: "vanguard_memberships",
                columns: new[] { "WorkerId", "JoinedAt" });

            migrationBuilder.CreateIndex(
                name: "ix_vanguard_teams_one_active_per_community",
                table: "vanguard_teams",
                column: "CommunityId",
                unique: true,
                filter: "\"DissolvedAt\" IS NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "merit_scores");

            migrationBuilder.DropTable(
                name: "service_logs");

            migrationBuilder.DropTable(
                name: "vanguard_memberships");

            migrationBuilder.DropTable(
                name: "merit_nominations");

            migrationBuilder.DropTable(
                name: "vanguard_teams");

            migrationBuilder.DropTable(
                name: "merit_months");
        }
    }
}
